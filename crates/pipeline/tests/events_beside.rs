//! The events stage runs on a thread of its own, placing one batch while the next is
//! stored and annotated: the events, their headlines and the copy groups they count
//! once come out the same whatever the batch size, as if the stages took turns.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use chronicle_pipeline::IngestStats;
use chronicle_store::EventFilter;
use std::path::Path;

/// Four happenings, each reported in its own words by three outlets, and each report
/// also reprinted by a fourth outlet under its own masthead with a line added (a copy,
/// stored apart and counted once in its event), read before the report it reprints or
/// after it (then, being longer, it takes over as its group's primary).
fn write_inputs(dir: &Path, reprints_first: bool) {
    let (original, reprinted) = if reprints_first {
        ("b", "a")
    } else {
        ("a", "b")
    };
    let happenings = [
        (
            "Grain mill fire at Ostrel",
            "A fire gutted the old grain mill at Ostrel on Monday night",
            "Firefighters from three stations fought the blaze until dawn",
            "Mill owner Tomas Verrick said the building had stood since 1881",
        ),
        (
            "Kessmere ferry crews strike",
            "Ferry crews on the Kessmere crossing walked out on Tuesday over rosters",
            "The Harbour Workers Union said talks with Kessline had broken down",
            "Commuters queued for the single relief boat at Pell Quay",
        ),
        (
            "Dunhallow council backs tram line",
            "Dunhallow council voted on Wednesday to build a tram line to the airport",
            "Council leader Maren Oduya said construction could begin next spring",
            "Opponents on the Eastgate residents board called the cost reckless",
        ),
        (
            "Brannock wins the coastal rowing cup",
            "Brannock Rowing Club won the coastal cup at Saltreth on Saturday",
            "Stroke Ilse Varga led the crew past Corrick in the final hundred metres",
            "It is the club's first title since the regatta moved to Saltreth",
        ),
    ];
    let outlets = [
        "Tidewater Gazette",
        "Corrick Courier",
        "Saltreth Evening Post",
    ];
    for (h, (title, lead, second, third)) in happenings.iter().enumerate() {
        for (o, outlet) in outlets.iter().enumerate() {
            // Each outlet orders and frames the same facts in its own way.
            let body = match o {
                0 => format!("{lead}. {second}. {third}."),
                1 => format!("{second}, after {}. {third}.", lead.to_lowercase()),
                _ => format!("{third}. {lead}, and {}.", second.to_lowercase()),
            };
            let text = format!("{outlet}\n\n{title}: report {o}\n\n{body} More to follow.\n");
            std::fs::write(dir.join(format!("{h}-{o}-{original}.txt")), &text).unwrap();
            let reprint = format!(
                "Harbour Wire\n\n{title}: report {o}\n\n{body} More to follow.\n\nReprinted \
                 by arrangement.\n"
            );
            std::fs::write(dir.join(format!("{h}-{o}-{reprinted}.txt")), reprint).unwrap();
        }
    }
}

/// Each event as the sorted titles of its articles (a copy's marked " (copy)"), and
/// its headline; sorted.
type Record = Vec<(Vec<String>, Option<String>)>;

fn run(data: &Path, inputs: &Path, batch_size: usize) -> (IngestStats, Record) {
    let (store, stats) = common::ingest_at(data, inputs, batch_size);
    let read = store.read();
    let mut record: Record = read
        .events(&EventFilter::default())
        .unwrap()
        .into_iter()
        .map(|event| {
            let mut titles: Vec<String> = read
                .event_article_ids(event.id)
                .unwrap()
                .into_iter()
                .map(|id| {
                    let article = read.article(id).unwrap().unwrap().article;
                    let primary = read.copy_primary(id).unwrap();
                    // Copies count once: each sits in the event of its primary.
                    assert_eq!(
                        read.event_of(primary).unwrap(),
                        Some(event.id),
                        "batch size {batch_size}: article {id} apart from its primary"
                    );
                    let copy = if primary == id { "" } else { " (copy)" };
                    format!("{}{copy}", article.title.unwrap_or_default())
                })
                .collect();
            titles.sort();
            (titles, event.headline)
        })
        .collect();
    record.sort();
    (stats, record)
}

#[test]
fn events_come_out_the_same_at_any_batch_size() {
    for reprints_first in [true, false] {
        same_at_any_batch_size(reprints_first);
    }
}

fn same_at_any_batch_size(reprints_first: bool) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    write_inputs(&inputs, reprints_first);
    let mut seen: Option<(IngestStats, Record)> = None;
    for batch_size in [256, 1, 2, 3, 5] {
        let data = dir.path().join(format!("data-{batch_size}"));
        let (stats, record) = run(&data, &inputs, batch_size);
        assert_eq!(
            stats.cleaned, 24,
            "reprints first {reprints_first}, batch size {batch_size}"
        );
        assert_eq!(
            stats.events.articles, 24,
            "reprints first {reprints_first}, batch size {batch_size}"
        );
        // The reprints at least (reports of one happening may read alike too).
        let copies = record
            .iter()
            .flat_map(|(titles, _)| titles)
            .filter(|t| t.ends_with(" (copy)"))
            .count();
        assert!(
            copies >= 12,
            "reprints first {reprints_first}, batch size {batch_size}: {record:#?}"
        );
        if let Some((first, expected)) = &seen {
            assert_eq!(
                &record, expected,
                "reprints first {reprints_first}, batch size {batch_size}"
            );
            // Events updated are counted per batch (those a batch changed but did not
            // create), so they depend on the batch size; the rest may not.
            let counts = |s: &IngestStats| {
                let e = &s.events;
                (e.articles, e.new_events, e.merges, e.splits, e.new_stories)
            };
            assert_eq!(
                counts(&stats),
                counts(first),
                "reprints first {reprints_first}, batch size {batch_size}"
            );
            assert_eq!(
                stats.annotated.copies, first.annotated.copies,
                "reprints first {reprints_first}, batch size {batch_size}"
            );
        } else {
            seen = Some((stats, record));
        }
        let (again, record_again) = run(&data, &inputs, batch_size);
        assert_eq!(again.cleaned + again.events.articles, 0);
        assert_eq!(
            Some(&record_again),
            seen.as_ref().map(|s| &s.1),
            "reprints first {reprints_first}, batch size {batch_size}"
        );
    }
}
