use crate::annotate::Annotator;
use crate::events::EventIndex;
use crate::{Result, now};
use chronicle_clean::template::OutletTemplates;
use chronicle_clean::{CleanConfig, clean};
use chronicle_model::RawDocument;
use chronicle_store::Store;
use rayon::prelude::*;
use serde::Serialize;

/// What a reprocess changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReprocessStats {
    /// Raw documents cleaned again.
    pub documents: u64,
    /// Documents that now give an article.
    pub articles: u64,
    /// Documents that now give no article.
    pub skipped: u64,
    /// Articles removed because their text now equals another article's.
    pub merged: u64,
    /// Paragraphs removed as outlet templates.
    pub template_paragraphs: u64,
}

/// Raw documents cleaned per parallel step.
const BATCH: usize = 256;

/// Cleans every stored raw document again with the current code. Outlet templates are
/// learned afresh from all documents first, then applied to each, so early articles of
/// an outlet lose the template lines that were only recognised later.
pub fn reprocess(
    store: &mut Store,
    config: &CleanConfig,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ReprocessStats> {
    let ids = store.read().raw_ids()?;
    let total = ids.len() as u64 * if config.layers.template { 2 } else { 1 };
    let mut done = 0;
    let mut templates = OutletTemplates::default();
    if config.layers.template {
        for chunk in ids.chunks(BATCH) {
            for article in clean_chunk(store, chunk, config)?
                .into_iter()
                .flatten()
                .flatten()
            {
                templates.observe(&article);
            }
            done += chunk.len() as u64;
            progress(done, total);
        }
    }
    let mut stats = ReprocessStats::default();
    let stamp = now();
    for chunk in ids.chunks(BATCH) {
        let cleaned = clean_chunk(store, chunk, config)?;
        for (raw, article) in chunk.iter().zip(cleaned) {
            let Some(article) = article else { continue };
            stats.documents += 1;
            let article = article.map(|mut article| {
                stats.template_paragraphs += templates.apply(&mut article) as u64;
                article
            });
            match &article {
                Some(_) => stats.articles += 1,
                None => stats.skipped += 1,
            }
            store.replace_article(*raw, article.as_ref(), &stamp)?;
        }
        done += chunk.len() as u64;
        progress(done, total);
    }
    // Everything said in the articles, and the events built on it, is found again from
    // scratch (cleared first: they refer to articles that may be removed now).
    store.clear_events()?;
    store.clear_annotations()?;
    stats.merged = store.remove_orphan_articles()? as u64;
    store.replace_templates(&templates)?;
    let mut annotator = Annotator::empty();
    loop {
        let pending = store.read().unannotated(BATCH)?;
        if pending.is_empty() {
            break;
        }
        annotator.annotate(store, &pending)?;
    }
    let mut events = EventIndex::empty();
    loop {
        let pending = store.read().unclustered(BATCH)?;
        if pending.is_empty() || events.assign(store, &pending)?.articles == 0 {
            break;
        }
    }
    // Ids were given again from scratch: the search index is rebuilt.
    chronicle_search::SearchIndex::remove(store.dir())?;
    crate::ingest::sync_search(store)?;
    Ok(stats)
}

/// Per raw id: `None` when its bytes are not kept, else the article or `None` when it
/// was skipped.
fn clean_chunk(
    store: &Store,
    chunk: &[chronicle_model::RawId],
    config: &CleanConfig,
) -> Result<Vec<Option<Option<chronicle_model::Article>>>> {
    let documents: Vec<Option<RawDocument>> = chunk
        .iter()
        .map(|id| store.read().raw_document(*id))
        .collect::<Result<_, _>>()?;
    Ok(documents
        .par_iter()
        .map(|document| document.as_ref().map(|d| clean(d, config).ok()))
        .collect())
}
