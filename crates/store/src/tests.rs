use super::*;
use chronicle_model::{Hints, NewsDate, Removal, RemovalReason, SkipReason};

const NOW: &str = "2025-06-01T12:00:00Z";

fn raw(source: &str, text: &str) -> RawDocument {
    RawDocument::new(source, text.as_bytes().to_vec())
}

fn article(url: Option<&str>, text: &str) -> Article {
    Article {
        url: url.map(str::to_string),
        title: Some("Ferries resume".into()),
        authors: vec!["Kai Roe".into()],
        published: NewsDate::parse("2025-05-06T09:00:00+01:00"),
        outlet: Some("The Harbor Ledger".into()),
        domain: Some("harborledger.example".into()),
        text: text.into(),
        removed: vec![Removal {
            reason: RemovalReason::Navigation,
            text: "Menu".into(),
        }],
        ..Article::default()
    }
}

fn add(store: &mut Store, source: &str, url: Option<&str>, text: &str) -> Written {
    let raw = raw(source, text);
    let digest = raw_digest(&raw);
    store
        .write(
            vec![Write::Article {
                raw,
                digest,
                article: Box::new(article(url, text)),
            }],
            &[],
            NOW,
        )
        .unwrap()[0]
}

#[test]
fn articles_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let Written::New(id) = add(
        &mut store,
        "file:///a.html",
        Some("https://harborledger.example/a"),
        "Ferries resumed.",
    ) else {
        panic!("expected a new article");
    };
    let stored = store.read().article(id).unwrap().unwrap();
    assert_eq!(
        stored.article,
        article(Some("https://harborledger.example/a"), "Ferries resumed.")
    );
    assert_eq!(stored.locations, ["https://harborledger.example/a"]);
    assert_eq!(stored.stored_at, NOW);
}

#[test]
fn the_same_text_is_one_article_with_two_locations() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = add(
        &mut store,
        "file:///a.html",
        Some("https://a.example/x"),
        "Ferries resumed on Friday.",
    );
    let second = add(
        &mut store,
        "file:///b.html",
        Some("https://b.example/y"),
        "Ferries  resumed on FRIDAY.",
    );
    let (Written::New(id), Written::Duplicate(same)) = (first, second) else {
        panic!("{first:?} {second:?}");
    };
    assert_eq!(id, same);
    let stored = store.read().article(id).unwrap().unwrap();
    assert_eq!(
        stored.locations,
        ["https://a.example/x", "https://b.example/y"]
    );
    assert_eq!(store.read().counts().unwrap().articles, 1);
    assert_eq!(store.read().counts().unwrap().raw_documents, 2);
}

#[test]
fn known_documents_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let document = raw("file:///a.txt", "Ferries resumed.");
    let digest = raw_digest(&document);
    assert_eq!(store.known(&digest, "file:///a.txt").unwrap(), Known::New);
    let Written::New(id) = add(&mut store, "file:///a.txt", None, "Ferries resumed.") else {
        panic!("expected a new article");
    };
    let Known::Unchanged { raw: raw_id } = store.known(&digest, "file:///a.txt").unwrap() else {
        panic!("expected unchanged");
    };
    assert_eq!(
        store.known(&digest, "file:///copy.txt").unwrap(),
        Known::OtherSource {
            raw: raw_id,
            article: Some(id)
        }
    );
    store
        .write(
            vec![Write::Source {
                raw: raw_id,
                source: "file:///copy.txt".into(),
                article: Some(id),
                url: None,
            }],
            &[],
            NOW,
        )
        .unwrap();
    assert!(matches!(
        store.known(&digest, "file:///copy.txt").unwrap(),
        Known::Unchanged { .. }
    ));
    assert_eq!(
        store.read().article(id).unwrap().unwrap().locations,
        ["file:///a.txt", "file:///copy.txt"]
    );
}

#[test]
fn a_hint_makes_a_different_document() {
    let mut with_hint = raw("file:///a.txt", "Same bytes.");
    with_hint.hints = Hints {
        outlet: Some("Ledger".into()),
        ..Hints::default()
    };
    assert_ne!(
        raw_digest(&with_hint),
        raw_digest(&raw("file:///a.txt", "Same bytes."))
    );
    assert_eq!(
        raw_digest(&raw("file:///a.txt", "x")),
        raw_digest(&raw("file:///b.txt", "x"))
    );
}

#[test]
fn skips_are_recorded_and_bytes_kept_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let document = raw("file:///empty.html", "<html></html>");
    let digest = raw_digest(&document);
    let skip = Skip::new("file:///empty.html", SkipReason::NoText, "no article text");
    store
        .write(
            vec![Write::Skipped {
                raw: document.clone(),
                digest,
                skip,
                keep_bytes: true,
            }],
            &[],
            NOW,
        )
        .unwrap();
    assert_eq!(
        store.read().skip_counts().unwrap(),
        [("no-text".to_string(), 1)]
    );
    let ids = store.read().raw_ids().unwrap();
    assert_eq!(
        store.read().raw_document(ids[0]).unwrap().unwrap(),
        document
    );
    assert!(store.read().check().unwrap().is_empty());
}

#[test]
fn a_second_writer_is_refused_and_readers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let _writer = Store::open(dir.path()).unwrap();
    let error = Store::open(dir.path()).unwrap_err();
    assert!(matches!(error, Error::Locked { .. }), "{error}");
    assert!(error.to_string().contains("another chronicle process"));
    let snapshot = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(snapshot.read().counts().unwrap().articles, 0);
}

/// Two connections of one process write in turns from two threads (each transaction
/// reads, then writes), and the lock is held until the last of them closes.
#[test]
fn another_writer_takes_turns_and_keeps_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Store::open(dir.path()).unwrap();
    let mut second = first.another_writer().unwrap();
    // As the store's own writes do: read inside the transaction, then write. A
    // deferred transaction would fail here whenever the other thread committed
    // between the two.
    let write = |store: &mut Store, name: &str| {
        for i in 0..200 {
            let transaction = store.connection.transaction().unwrap();
            let before: i64 = transaction
                .query_row("SELECT count(*) FROM http_validators", [], |row| row.get(0))
                .unwrap();
            std::thread::yield_now();
            transaction
                .execute(
                    "INSERT INTO http_validators (url, etag) VALUES (?1, ?2)",
                    params![format!("https://{name}.example/feed/{i}"), before],
                )
                .unwrap();
            transaction.commit().unwrap();
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(|| write(&mut first, "tidewater"));
        scope.spawn(|| write(&mut second, "corrick"));
    });
    assert_eq!(first.read().http_validators().unwrap().len(), 400);
    drop(first);
    let error = Store::open(dir.path()).unwrap_err();
    assert!(matches!(error, Error::Locked { .. }), "{error}");
    drop(second);
    assert!(Store::open(dir.path()).is_ok());
}

#[test]
fn reading_a_missing_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = Store::open_read_only(dir.path()).unwrap_err();
    assert!(
        error.to_string().contains("holds no chronicle store"),
        "{error}"
    );
}

#[test]
fn reopening_keeps_data_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        add(&mut store, "file:///a.txt", None, "Ferries resumed.");
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.read().counts().unwrap().articles, 1);
    assert!(store.read().check().unwrap().is_empty());
}

#[test]
fn replacing_an_article_keeps_its_id_or_merges_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let Written::New(first) = add(&mut store, "file:///a.txt", None, "Ferries resumed. Menu")
    else {
        panic!()
    };
    let Written::New(second) = add(
        &mut store,
        "file:///b.txt",
        None,
        "Ferries resumed. Subscribe",
    ) else {
        panic!()
    };
    let ids = store.read().raw_ids().unwrap();
    // Re-cleaning removes the menu: same article, new text.
    let cleaned = article(None, "Ferries resumed.");
    assert_eq!(
        store.replace_article(ids[0], Some(&cleaned), NOW).unwrap(),
        Some(first)
    );
    // The second now has the same text: it becomes a location of the first.
    assert_eq!(
        store.replace_article(ids[1], Some(&cleaned), NOW).unwrap(),
        Some(first)
    );
    assert_eq!(store.remove_orphan_articles().unwrap(), 1);
    assert!(store.read().article(second).unwrap().is_none());
    let stored = store.read().article(first).unwrap().unwrap();
    assert_eq!(stored.article.text, "Ferries resumed.");
    assert_eq!(stored.locations, ["file:///a.txt", "file:///b.txt"]);
    assert!(store.read().check().unwrap().is_empty());
}

#[test]
fn filters_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    add(&mut store, "file:///a.txt", None, "One.");
    let raw = raw("file:///b.txt", "Two.");
    let digest = raw_digest(&raw);
    let mut other = article(None, "Two.");
    other.outlet = Some("Island Examiner".into());
    other.domain = None;
    other.published = NewsDate::parse("2025-07-01");
    store
        .write(
            vec![Write::Article {
                raw,
                digest,
                article: Box::new(other),
            }],
            &[],
            NOW,
        )
        .unwrap();
    let read = store.read();
    let all = read.articles(&ArticleFilter::default()).unwrap();
    assert_eq!(
        all.iter()
            .map(|a| a.article.text.as_str())
            .collect::<Vec<_>>(),
        ["Two.", "One."]
    );
    let by_outlet = read
        .articles(&ArticleFilter {
            outlet: Some("island examiner".into()),
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(by_outlet.len(), 1);
    let by_domain = read
        .articles(&ArticleFilter {
            outlet: Some("harborledger.example".into()),
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(by_domain.len(), 1);
    let june = |day| chrono::NaiveDate::from_ymd_opt(2025, 6, day);
    let since = read
        .articles(&ArticleFilter {
            since: june(1),
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(since.len(), 1);
    let until = read
        .articles(&ArticleFilter {
            until: chrono::NaiveDate::from_ymd_opt(2025, 5, 6),
            ..ArticleFilter::default()
        })
        .unwrap();
    assert_eq!(until.len(), 1);
    assert_eq!(
        read.articles(&ArticleFilter {
            limit: Some(1),
            ..ArticleFilter::default()
        })
        .unwrap()
        .len(),
        1
    );
}

#[test]
fn templates_persist() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut templates = OutletTemplates::default();
    for i in 0..4 {
        templates.observe(&Article {
            domain: Some("ledger.example".into()),
            text: format!("Menu line\n\nStory {i}."),
            ..Article::default()
        });
    }
    let changed: Vec<(&str, &Outlet)> = templates.outlets().collect();
    store.write(Vec::new(), &changed, NOW).unwrap();
    let loaded = store.read().templates().unwrap();
    assert!(loaded.is_template("ledger.example", "Menu line"));
    assert_eq!(loaded.articles("ledger.example"), 4);
}

proptest::proptest! {
    #[test]
    fn any_article_text_round_trips(text in "\\PC{1,200}", title in proptest::option::of("\\PC{0,50}")) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let raw = raw("file:///p.txt", &text);
        let digest = raw_digest(&raw);
        let original = Article { text: text.clone(), title, ..Article::default() };
        let written = store.write(vec![Write::Article { raw, digest, article: Box::new(original.clone()) }], &[], NOW).unwrap();
        let Written::New(id) = written[0] else { panic!() };
        let stored = store.read().article(id).unwrap().unwrap();
        proptest::prop_assert_eq!(stored.article, original);
    }
}

/// `n` stored articles with distinct texts, for the event tests.
fn articles(store: &mut Store, n: usize, prefix: &str, text: &str) -> Vec<ArticleId> {
    (0..n)
        .map(|i| {
            match add(
                store,
                &format!("file:///{prefix}{i}"),
                None,
                &format!("{text}{i}."),
            ) {
                Written::New(id) => id,
                other => panic!("{other:?}"),
            }
        })
        .collect()
}

/// An article joining an event of story 1.
fn join(article: ArticleId, event: u64, created: bool) -> EventJoin {
    EventJoin {
        article,
        event,
        created,
        score: 0.5,
        why: serde_json::json!({"score": 0.5}),
        terms: Some("{}".into()),
        story: Some(1),
    }
}

#[test]
fn events_join_merge_split_and_keep_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let ids = articles(&mut store, 4, "a", "Text ");
    let write = EventsWrite {
        joins: vec![
            join(ids[0], 1, true),
            join(ids[1], 1, false),
            join(ids[2], 2, true),
            join(ids[3], 1, false),
        ],
        ..EventsWrite::default()
    };
    store.write_events(&write, NOW).unwrap();
    // Event 2 turns out to be event 1; then article 3 turns out to be another event.
    let write = EventsWrite {
        merges: vec![EventMergeWrite {
            from: 2,
            into: 1,
            evidence: serde_json::json!({"score": 0.4}),
        }],
        splits: vec![EventSplitWrite {
            from: 1,
            into: 3,
            articles: vec![ids[3]],
            evidence: serde_json::json!({"across": 0.05}),
        }],
        ..EventsWrite::default()
    };
    store.write_events(&write, NOW).unwrap();
    let read = store.read();
    assert_eq!(
        read.resolve_event(2).unwrap(),
        Some(1),
        "a merged id redirects"
    );
    let one = read.event(2).unwrap().unwrap();
    assert_eq!(one.summary.id, 1);
    assert_eq!(one.merged, vec![2]);
    let members: Vec<u64> = one.sources.iter().map(|s| s.article).collect();
    assert_eq!(members, vec![ids[0].0, ids[1].0, ids[2].0]);
    let kinds: Vec<&str> = one.history.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["created", "source added", "source added", "merged", "split"]
    );
    let three = read.event(3).unwrap().unwrap();
    assert_eq!(three.sources.len(), 1);
    assert_eq!(three.history[0].kind, "split off");
    assert_eq!(read.event_of(ids[3]).unwrap(), Some(3));
}

/// Within one batch an article can end in an event that a later join of the same batch
/// created (it joined one event, which split, and the split-off part merged into a
/// newer event): its join comes first and must still be written.
#[test]
fn a_join_may_name_an_event_created_later_in_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let ids = articles(&mut store, 2, "b", "Other text ");
    let write = EventsWrite {
        joins: vec![join(ids[0], 7, false), join(ids[1], 7, true)],
        ..EventsWrite::default()
    };
    store.write_events(&write, NOW).unwrap();
    let read = store.read();
    assert_eq!(read.event_of(ids[0]).unwrap(), Some(7));
    assert_eq!(read.event(7).unwrap().unwrap().sources.len(), 2);
}

/// A part split off an event and merged into another within one batch: its articles
/// end in the event it merged into, not in the merged-away id.
#[test]
fn a_split_off_part_merged_in_the_same_batch_lands_where_it_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let ids = articles(&mut store, 3, "c", "Third text ");
    let write = EventsWrite {
        joins: vec![
            join(ids[0], 1, true),
            join(ids[1], 1, false),
            join(ids[2], 2, true),
        ],
        ..EventsWrite::default()
    };
    store.write_events(&write, NOW).unwrap();
    // Article 1 splits off event 1 into event 3, which then merges into event 2.
    let write = EventsWrite {
        splits: vec![EventSplitWrite {
            from: 1,
            into: 3,
            articles: vec![ids[1]],
            evidence: serde_json::json!({"across": 0.05}),
        }],
        merges: vec![EventMergeWrite {
            from: 3,
            into: 2,
            evidence: serde_json::json!({"score": 0.4}),
        }],
        ..EventsWrite::default()
    };
    store.write_events(&write, NOW).unwrap();
    let read = store.read();
    assert_eq!(read.event_of(ids[1]).unwrap(), Some(2));
    assert_eq!(read.event_article_ids(2).unwrap().len(), 2);
    assert_eq!(read.event_article_ids(1).unwrap(), vec![ids[0]]);
}

fn fields(id: u64, headline: &str) -> EventFields {
    EventFields {
        id,
        date: chrono::NaiveDate::from_ymd_opt(2025, 5, 30),
        date_source: "earliest publication".into(),
        headline: headline.into(),
        category: "disasters and accidents".into(),
        story: Some(1),
        summary: Vec::new(),
    }
}

#[test]
fn each_past_version_of_an_event_is_worked_out_from_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let ids = articles(&mut store, 5, "r", "Revision text ");
    let times = [
        "2025-06-01T10:00:00Z",
        "2025-06-01T11:00:00Z",
        "2025-06-01T12:00:00Z",
        "2025-06-01T13:00:00Z",
    ];
    // 1: event 1 from two articles, event 2 from one.
    let write = EventsWrite {
        joins: vec![
            join(ids[0], 1, true),
            join(ids[1], 1, false),
            join(ids[2], 2, true),
        ],
        fields: vec![
            fields(1, "A ferry ran aground"),
            fields(2, "Passengers rescued"),
        ],
        ..EventsWrite::default()
    };
    store.write_events(&write, times[0]).unwrap();
    // 2: event 2 is event 1 after all; the headline changes.
    let write = EventsWrite {
        joins: vec![join(ids[3], 1, false)],
        merges: vec![EventMergeWrite {
            from: 2,
            into: 1,
            evidence: serde_json::json!({"score": 0.4}),
        }],
        fields: vec![fields(1, "A ferry ran aground off Skarv")],
        ..EventsWrite::default()
    };
    store.write_events(&write, times[1]).unwrap();
    // 3: article 1 was about something else.
    let write = EventsWrite {
        splits: vec![EventSplitWrite {
            from: 1,
            into: 3,
            articles: vec![ids[1]],
            evidence: serde_json::json!({"across": 0.05}),
        }],
        ..EventsWrite::default()
    };
    store.write_events(&write, times[2]).unwrap();
    // 4: a source joins.
    let write = EventsWrite {
        joins: vec![join(ids[4], 1, false)],
        ..EventsWrite::default()
    };
    store.write_events(&write, times[3]).unwrap();

    let read = store.read();
    let revisions = read.event_revisions(1).unwrap().unwrap();
    let held: Vec<Vec<u64>> = revisions.iter().map(|r| r.articles.clone()).collect();
    let id = |i: usize| ids[i].0;
    assert_eq!(
        held,
        vec![
            vec![id(0), id(1)],
            vec![id(0), id(1), id(2), id(3)],
            vec![id(0), id(2), id(3)],
            vec![id(0), id(2), id(3), id(4)],
        ]
    );
    let numbers: Vec<usize> = revisions.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(revisions[0].at, times[0]);
    assert_eq!(
        revisions[0].headline.as_deref(),
        Some("A ferry ran aground")
    );
    assert_eq!(
        revisions[1].headline.as_deref(),
        Some("A ferry ran aground off Skarv")
    );
    assert_eq!(revisions[3].date.as_deref(), Some("2025-05-30"));
    let kinds: Vec<&str> = revisions[1]
        .changes
        .iter()
        .map(|c| c.kind.as_str())
        .collect();
    assert_eq!(kinds, ["source added", "merged", "headline"]);
    // The current version is the last one.
    let now = read.event(1).unwrap().unwrap();
    let mut current: Vec<u64> = now.sources.iter().map(|s| s.article).collect();
    current.sort_unstable();
    assert_eq!(current, revisions[3].articles);

    // A merged event keeps its own past, ending with the merge.
    let two = read.event_revisions(2).unwrap().unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(two[0].articles, vec![id(2)]);
    assert!(two[1].articles.is_empty());
    assert_eq!(two[1].changes[0].kind, "merged away");
    // The split-off part starts with what it took.
    let three = read.event_revisions(3).unwrap().unwrap();
    assert_eq!(three[0].articles, vec![id(1)]);
    assert!(read.event_revisions(99).unwrap().is_none());

    let refs = read.article_refs(&[id(4), 12_345, id(0)]).unwrap();
    let listed: Vec<u64> = refs.iter().map(|r| r.article).collect();
    assert_eq!(listed, [id(4), id(0)]);
}

/// The lookups an ingest or a page makes once per event, merge or article must search
/// an index: a scan of a whole table makes each of them cost more as the store grows
/// (the search index's rebuild of a 100,000-article store took 262 s instead of 16).
#[test]
fn per_item_lookups_search_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let statements = [
        events::EVENTS_MERGED_INTO.to_string(),
        events::REPOINT_EVENT_MERGES.to_string(),
        events::REPOINT_STORY_MERGES.to_string(),
        events::EVENT_ROLES.to_string(),
        events::RELATED_BY_ENTITY.to_string(),
        annotations::COPY_GROUP.to_string(),
        format!(
            "SELECT q.id FROM quotes q LEFT JOIN quote_citations c ON c.quote_id = q.id
             WHERE {} GROUP BY q.id",
            annotations::QUOTES_OF_EVENT
        ),
        annotations::ENTITIES_NAMED.to_string(),
        DELETE_LOCATIONS_OF_RAW.to_string(),
        format!(
            "SELECT a.id FROM articles a WHERE a.id IN ({OUTLET_RECENT_IDS}) ORDER BY a.id DESC LIMIT ?2"
        ),
    ];
    for sql in statements {
        let mut plan = store
            .connection
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let values = std::iter::repeat_n(1, plan.parameter_count());
        let steps: Vec<String> = plan
            .query_map(rusqlite::params_from_iter(values), |row| {
                row.get::<_, String>(3)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // "SCAN (subquery-1)" and "SCAN r" after "MATERIALIZE r" walk a subquery's own
        // bounded rows, "SCAN CONSTANT ROW" one row; any other "SCAN t" walks a table.
        let subqueries: Vec<&str> = steps
            .iter()
            .filter_map(|step| {
                step.strip_prefix("MATERIALIZE ")
                    .or_else(|| step.strip_prefix("CO-ROUTINE "))
            })
            .collect();
        let scans: Vec<&String> = steps
            .iter()
            .filter(|step| {
                step.strip_prefix("SCAN ").is_some_and(|what| {
                    !what.starts_with('(') && what != "CONSTANT ROW" && !subqueries.contains(&what)
                })
            })
            .collect();
        assert!(scans.is_empty(), "{sql}\nscans: {scans:?}\nplan: {steps:?}");
    }
}
