//! The schema, as an ordered list of migrations. The database's `user_version` is the
//! number of migrations applied; opening a store applies the missing ones in one
//! transaction, so a store is always at a version this build knows.

/// Migrations, oldest first. Never edit one that has shipped; add a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: raw documents, articles, where each was found, learned outlet templates.
    r#"
    CREATE TABLE raw_documents (
        id INTEGER PRIMARY KEY,
        digest BLOB NOT NULL UNIQUE,
        source TEXT NOT NULL,
        format TEXT,
        charset TEXT,
        hints TEXT NOT NULL,
        fetched_at TEXT,
        size INTEGER NOT NULL,
        body BLOB,
        first_seen TEXT NOT NULL,
        article_id INTEGER REFERENCES articles(id),
        skip_reason TEXT,
        skip_message TEXT
    );
    CREATE INDEX raw_documents_article ON raw_documents(article_id);

    CREATE TABLE sources (
        source TEXT NOT NULL,
        raw_id INTEGER NOT NULL REFERENCES raw_documents(id),
        first_seen TEXT NOT NULL,
        PRIMARY KEY (source, raw_id)
    ) WITHOUT ROWID;

    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        text_digest BLOB NOT NULL UNIQUE,
        raw_id INTEGER NOT NULL REFERENCES raw_documents(id),
        url TEXT,
        canonical_url TEXT,
        title TEXT,
        authors TEXT NOT NULL,
        published TEXT,
        published_ts INTEGER,
        updated TEXT,
        outlet TEXT,
        domain TEXT,
        language TEXT,
        image TEXT,
        description TEXT,
        text TEXT NOT NULL,
        record TEXT,
        summary_only INTEGER NOT NULL DEFAULT 0,
        removed TEXT NOT NULL,
        words INTEGER NOT NULL,
        stored_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published_ts);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_domain ON articles(domain);
    CREATE INDEX articles_url ON articles(url);

    CREATE TABLE article_locations (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        url TEXT NOT NULL,
        raw_id INTEGER NOT NULL REFERENCES raw_documents(id),
        PRIMARY KEY (article_id, url)
    ) WITHOUT ROWID;
    CREATE INDEX article_locations_url ON article_locations(url);

    CREATE TABLE outlet_templates (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 2: what articles say (entities, roles, quotes, dates), near-duplicate signatures
    // and copy groups, and earlier revisions of articles whose URL was fetched again.
    r#"
    CREATE TABLE annotations (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        data TEXT NOT NULL
    );

    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL
    );
    CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

    CREATE TABLE entity_aliases (
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        alias TEXT NOT NULL,
        PRIMARY KEY (entity_id, alias)
    ) WITHOUT ROWID;
    CREATE INDEX entity_aliases_alias ON entity_aliases(alias COLLATE NOCASE);

    CREATE TABLE entity_mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        mentions INTEGER NOT NULL,
        first_start INTEGER NOT NULL,
        first_end INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);

    CREATE TABLE entity_roles (
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        article_id INTEGER NOT NULL REFERENCES articles(id),
        role TEXT NOT NULL,
        date TEXT,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL
    );
    CREATE INDEX entity_roles_entity ON entity_roles(entity_id);
    CREATE INDEX entity_roles_article ON entity_roles(article_id);

    CREATE TABLE entity_merges (
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        evidence TEXT NOT NULL
    );
    CREATE INDEX entity_merges_entity ON entity_merges(entity_id);
    CREATE INDEX entity_merges_article ON entity_merges(article_id);

    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        speaker_id INTEGER REFERENCES entities(id)
    );
    CREATE INDEX quotes_speaker ON quotes(speaker_id);

    CREATE TABLE quote_citations (
        quote_id INTEGER NOT NULL REFERENCES quotes(id),
        article_id INTEGER NOT NULL REFERENCES articles(id),
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker_text TEXT,
        said_on TEXT,
        said_granularity TEXT,
        PRIMARY KEY (quote_id, article_id, span_start)
    ) WITHOUT ROWID;
    CREATE INDEX quote_citations_article ON quote_citations(article_id);

    CREATE TABLE date_mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        date TEXT NOT NULL,
        granularity TEXT NOT NULL,
        absolute INTEGER NOT NULL
    );
    CREATE INDEX date_mentions_article ON date_mentions(article_id);

    CREATE TABLE signatures (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        signature BLOB NOT NULL
    );
    CREATE TABLE lsh_bands (
        band INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        PRIMARY KEY (band, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX lsh_bands_article ON lsh_bands(article_id);

    CREATE TABLE copies (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        copy_of INTEGER NOT NULL REFERENCES articles(id),
        jaccard REAL NOT NULL,
        containment REAL NOT NULL
    );
    CREATE INDEX copies_copy_of ON copies(copy_of);

    CREATE TABLE article_revisions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        revision INTEGER NOT NULL,
        raw_id INTEGER NOT NULL REFERENCES raw_documents(id),
        title TEXT,
        text TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        PRIMARY KEY (article_id, revision)
    ) WITHOUT ROWID;
    "#,
    // 3: events: which article joined which event and story and why, merges, history.
    r#"
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        name TEXT,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        merged_into INTEGER REFERENCES stories(id)
    );

    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        merged_into INTEGER REFERENCES events(id),
        date TEXT,
        date_source TEXT,
        headline TEXT,
        category TEXT,
        summary TEXT,
        story_id INTEGER REFERENCES stories(id)
    );
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_story ON events(story_id);

    CREATE TABLE event_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        event_id INTEGER NOT NULL REFERENCES events(id),
        story_id INTEGER REFERENCES stories(id),
        score REAL NOT NULL,
        why TEXT NOT NULL,
        terms TEXT,
        joined TEXT NOT NULL
    );
    CREATE INDEX event_articles_event ON event_articles(event_id);
    CREATE INDEX event_articles_story ON event_articles(story_id);

    CREATE TABLE event_history (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES events(id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX event_history_event ON event_history(event_id);
    "#,
    // 4: the LSH index lives in memory over the most recent signatures (see
    // chronicle-dedupe's LshIndex): band rows inserted at random places in a B-tree
    // made each article cost more as the store grew.
    r#"
    DROP TABLE lsh_bands;
    "#,
    // 5: what each fetched URL last answered with (ETag, Last-Modified), so that a
    // feed polled again by a later run is asked only for what changed.
    r#"
    CREATE TABLE http_validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT
    ) WITHOUT ROWID;
    "#,
    // 6: lookups that scanned a whole table, so that their cost grew with the store:
    // where a merged event or story went (every event page, every merge), the
    // locations of a raw document (every replaced article), an outlet's recent
    // articles (every run that learned template lines).
    r#"
    CREATE INDEX events_merged_into ON events(merged_into) WHERE merged_into IS NOT NULL;
    CREATE INDEX stories_merged_into ON stories(merged_into) WHERE merged_into IS NOT NULL;
    CREATE INDEX article_locations_raw ON article_locations(raw_id);
    CREATE INDEX articles_outlet_key ON articles(lower(trim(outlet)));
    "#,
];
