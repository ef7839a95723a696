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
];
