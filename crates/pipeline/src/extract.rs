use chronicle_clean::template::OutletTemplates;
use chronicle_clean::{CleanConfig, clean};
use chronicle_ingest::{IngestConfig, Item, Reader};
use chronicle_model::{Article, Skip};
use rayon::prelude::*;

/// One document of an `extract` run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extracted {
    Article(Box<Article>),
    Skip(Skip),
}

/// Reads and cleans inputs without a store, in input order. Outlet templates are
/// learned across the documents given, as an ingest would.
pub fn extract(inputs: &[String], ingest: &IngestConfig, config: &CleanConfig) -> Vec<Extracted> {
    let mut reader = Reader::new(ingest.clone());
    let mut items = Vec::new();
    for input in inputs {
        reader.read(input, &mut |item| items.push(item));
    }
    let cleaned: Vec<Extracted> = items
        .into_par_iter()
        .map(|item| match item {
            Item::Document(document) => match clean(&document, config) {
                Ok(article) => Extracted::Article(Box::new(article)),
                Err(skip) => Extracted::Skip(skip),
            },
            Item::Skip(skip) => Extracted::Skip(skip),
        })
        .collect();
    if !config.layers.template {
        return cleaned;
    }
    let mut templates = OutletTemplates::default();
    for item in &cleaned {
        if let Extracted::Article(article) = item {
            templates.observe(article);
        }
    }
    cleaned
        .into_iter()
        .map(|item| match item {
            Extracted::Article(mut article) => {
                templates.apply(&mut article);
                Extracted::Article(article)
            }
            skip => skip,
        })
        .collect()
}
