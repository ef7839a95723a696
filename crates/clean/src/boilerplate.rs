//! Boilerplate removal for text: the lines a scraper keeps around an article.
//!
//! Rules come in two strengths. Strong rules (a cookie notice, "Skip to main content", a
//! photo credit, a call to subscribe) are safe anywhere in a document. Edge rules are
//! weaker signals ("Related stories" followed by headlines, a publisher describing
//! itself, a byline) that only apply while sweeping in from the head or the tail of the
//! document, where such text lives; the sweep stops at the first paragraph that reads
//! as article text, so nothing in the body is touched by an edge rule.

use crate::dates::parse_date;
use crate::{Body, Layers};
use chronicle_model::{NewsDate, RemovalReason};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What the head sweep learned besides removing lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeadFindings {
    /// The headline, when the document starts with one (plain text and Markdown).
    pub title: Option<String>,
    /// Raw byline strings.
    pub bylines: Vec<String>,
    pub published: Option<NewsDate>,
    pub updated: Option<NewsDate>,
}

/// How a document reached us, which decides how much the head sweep may assume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Text as a scraper leaves it: the headline is the first headline-like line, and
    /// anything above it is site furniture.
    ScrapedText,
    /// The output of a main-text extractor (HTML) or a structured format: the title is
    /// known from metadata.
    Extracted,
}

static NAVIGATION: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "skip to main content",
        "skip to content",
        "skip to navigation",
        "skip navigation",
        "jump to content",
        "jump to navigation",
        "accessibility links",
        "accessibility help",
        "breaking news",
        "just in",
        "latest",
        "latest news",
        "latest stories",
        "menu",
        "main menu",
        "open menu",
        "close menu",
        "toggle navigation",
        "navigation",
        "search",
        "search the site",
        "home",
        "homepage",
        "sections",
        "all sections",
        "today's paper",
        "todays paper",
        "e-paper",
        "epaper",
        "log in",
        "login",
        "sign in",
        "sign out",
        "register",
        "my account",
        "account",
        "subscribe",
        "subscribe now",
        "subscribe today",
        "donate",
        "donate now",
        "donate today",
        "we recommend",
        "recommended",
        "recommended for you",
        "popular",
        "popular video",
        "popular now",
        "most popular",
        "most read",
        "most viewed",
        "most shared",
        "trending",
        "trending now",
        "top stories",
        "more stories",
        "related",
        "related stories",
        "related articles",
        "related content",
        "related coverage",
        "related links",
        "read more",
        "read next",
        "more",
        "more news",
        "show more",
        "load more",
        "see more",
        "see all",
        "view all",
        "up next",
        "next article",
        "previous article",
        "next",
        "previous",
        "next story",
        "previous story",
        "back to top",
        "go to top",
        "print",
        "email",
        "comments",
        "comment",
        "leave a comment",
        "view comments",
        "show comments",
        "share",
        "share this",
        "share this article",
        "share this story",
        "share this page",
        "share on facebook",
        "share on twitter",
        "share on x",
        "share on linkedin",
        "share on whatsapp",
        "share via email",
        "email this",
        "copy link",
        "copy link to clipboard",
        "tweet",
        "pin",
        "whatsapp",
        "facebook",
        "twitter",
        "linkedin",
        "instagram",
        "youtube",
        "listen",
        "listen to this article",
        "listen live",
        "watch",
        "watch live",
        "play video",
        "photos",
        "gallery",
        "view gallery",
        "cookie settings",
        "cookie preferences",
        "manage preferences",
        "manage cookies",
        "accept",
        "accept all",
        "accept all cookies",
        "accept cookies",
        "reject all",
        "agree",
        "i agree",
        "ok",
        "got it",
        "close",
        "dismiss",
        "we value your privacy",
        "privacy policy",
        "privacy",
        "terms of use",
        "terms of service",
        "terms and conditions",
        "contact us",
        "about us",
        "newsletters",
        "newsletter",
        "podcasts",
        "weather",
        "death notices",
        "obituaries",
        "classifieds",
        "read also",
        "see also",
        "also read",
        "topics",
        "tags",
        "filed under",
        "payment methods",
        "send us a tip",
        "editor's picks",
        "editors picks",
        "in case you missed it",
        "don't miss",
        "must read",
        "top picks",
        "featured",
        "follow us",
        "follow",
        "continue reading",
        "keep reading",
        "read the full story",
        "read full article",
        "sign up",
        "get the app",
        "download the app",
        "email the author",
        "more from the author",
        "more on this story",
        "in other news",
        "explore more",
        "newsletter abonnieren",
        "anmelden",
        "abmelden",
        "registrieren",
        "suche",
        "startseite",
        "teilen",
        "drucken",
        "zurück",
        "weiter",
        "weiterlesen",
        "mehr zum thema",
        "das könnte sie auch interessieren",
        "datenschutz",
        "impressum",
        "kommentare",
        "artikel teilen",
        "partager",
        "imprimer",
        "lire aussi",
        "lire la suite",
        "abonnez-vous",
        "se connecter",
        "à lire aussi",
        "compartir",
        "leer más",
        "condividi",
        "leggi anche",
        "mehr artikel",
        "alle artikel",
        "zum artikel",
        "nach oben",
        "weitere artikel zum thema",
        "weitere artikel",
        "kommentierte artikel",
        "empfohlene beiträge",
        "inhaltsverzeichnis",
        "zurück zur listenansicht",
        "zurück zur übersicht",
        "von",
        "auch lesen",
        "lesen sie auch",
        "lesen sie hier",
        "vorschau auf den nächsten artikel",
        "videos zum thema",
        "beiträge aus dem forum",
        "pour lire la suite",
        "pour accéder en illimité",
        "originalpublikation",
        "table of contents",
        "contents",
        "letters to the editor",
        "kommentar schreiben",
        "artikel drucken",
        "schlagworte",
        "themen",
        "lesezeit",
        "ähnliche artikel",
        "verwandte artikel",
        "das könnte dich auch interessieren",
        "auch interessant",
        "passend dazu",
        "mehr dazu",
        "top-themen",
        "meistgelesen",
        "meistgelesene artikel",
        "neueste artikel",
        "zur startseite",
        "alle news",
        "vedi anche",
        "ver también",
        "leia também",
        "leia mais",
        "lees ook",
        "lees meer",
        "zie ook",
        "voir aussi",
        "sur le même sujet",
        "dans la même rubrique",
        "mehr zum thema:",
        "related posts",
        "recent posts",
        "popular posts",
        "share this post",
        "about the author",
        "you might also like",
        "more like this",
        "print this article",
        "print article",
    ]
    .into_iter()
    .collect()
});

static ADVERTISEMENT: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "advertisement",
        "advertising",
        "ad",
        "ads",
        "sponsored",
        "sponsored content",
        "paid content",
        "partner content",
        "paid post",
        "promoted",
        "promoted content",
        "story continues below advertisement",
        "article continues below advertisement",
        "article continues below",
        "story continues below",
        "continue reading below",
        "continue reading the main story",
        "anzeige",
        "werbung",
        "publicité",
        "publicidad",
        "pubblicità",
        "advertentie",
    ]
    .into_iter()
    .collect()
});

/// Words that make up section menus ("News Politics Sport Business").
static SECTIONS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "news",
        "politics",
        "business",
        "sport",
        "sports",
        "culture",
        "lifestyle",
        "life",
        "opinion",
        "opinions",
        "world",
        "local",
        "national",
        "international",
        "travel",
        "food",
        "tech",
        "technology",
        "science",
        "health",
        "entertainment",
        "arts",
        "art",
        "music",
        "film",
        "films",
        "movies",
        "books",
        "video",
        "videos",
        "podcasts",
        "podcast",
        "weather",
        "events",
        "jobs",
        "money",
        "markets",
        "economy",
        "education",
        "environment",
        "climate",
        "style",
        "fashion",
        "home",
        "us",
        "uk",
        "europe",
        "asia",
        "africa",
        "americas",
        "australia",
        "more",
        "photos",
        "live",
        "latest",
        "features",
        "analysis",
        "investigations",
        "community",
        "obituaries",
        "crime",
        "justice",
        "law",
        "elections",
        "election",
        "tv",
        "radio",
        "games",
        "puzzles",
        "crosswords",
        "shop",
        "magazine",
        "comment",
        "columns",
        "letters",
        "editorials",
        "property",
        "cars",
        "motoring",
        "search",
        "login",
        "register",
        "subscribe",
        "about",
        "contact",
        "regulatory",
        "quality",
        "clinical",
        "media",
        "companies",
        "finance",
        "personal",
        "real",
        "estate",
        "society",
        "religion",
        "history",
        "education",
        "careers",
        "technik",
        "wirtschaft",
        "kultur",
        "panorama",
        "reise",
        "wissen",
        "meinung",
        "nachrichten",
        "politik",
        "inland",
        "ausland",
        "actualités",
        "économie",
        "monde",
        "sign",
        "in",
        "log",
        "menu",
        "newsletters",
        "&",
        "and",
    ]
    .into_iter()
    .collect()
});

static AGE_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(this|the) (story|article|post|piece|page|content|report|item) (is|was (first )?published) (over |more than |at least |about )?(\w+|\d+) (years?|months?) (old|ago)\.?$")
        .expect("valid regex")
});

static CALL_TO_ACTION: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)\b(sign up|signup|subscribe|register)\b.*\b(newsletter|briefing|inbox|e-?mails?|updates|alerts|free|today|now|here|posts|digest|podcast)\b",
        r"(?i)\b(newsletter|briefing|digest)\b.*\b(sign up|subscribe|inbox)\b",
        r"(?i)\binbox\b.*\b(free|daily|weekly|morning|evening|every)\b",
        r"(?i)\b(make|give) a (donation|gift|contribution)\b",
        r"(?i)\b(donate|chip in|pitch in)\b.*\b(today|now|us|our|journalism|amount|monthly|month)\b",
        r"(?i)\bsupport (us|our|independent journalism|local journalism|local news|quality journalism|public[- ]interest)\b",
        r"^(?i:support) \p{Lu}\p{L}+(?: \p{Lu}\p{L}+){0,3}( from [$€£].*)?\.?$",
        r"(?i)^support (independent |local |our |quality |public-interest )*(journalism|news|reporting)\b",
        r"(?i)^share (this|the|our) \S+( \S+){0,4}$",
        r"(?i)\b(become|join) (a|our) (member|subscriber|supporter|patron|community)",
        r"(?i)\bdownload (the|our)\b.*\bapp\b",
        r"(?i)^get the .{1,40} app\b",
        r"(?i)\b(follow|like) us on\b",
        r"(?i)\bclick here\b",
        r"(?i)\bto (find out|learn) more\b.*\b(click|visit|here)\b",
        r"(?i)^(already (registered|a (subscriber|member))|not a subscriber)\b",
        r"(?i)\b(register|subscribe|log ?in|sign in) (for free )?to (keep|continue) reading\b",
        r"(?i)\btax[- ]deductible\b",
        r"(?i)\bsave (big|\d+ ?%)",
        r"(?i)\ba full year of\b",
        r"(?i)\bgift subscriptions?\b",
        r"(?i)^get our\b",
        r"(?i)^thanks for reading\b",
        r"(?i)^before you go\b",
        r"(?i)\bif you (value|like|enjoy(ed)?|appreciate) (what we do|our|this|reading)\b",
        r"(?i)\bsubscribe from [$€£]",
        r"(?i)\bfrom [$€£]\s?\d+(\.\d+)? (a|per) (week|month|year)\b",
        r"(?i)\bfree to read because\b",
        r"(?i)\bwe (don't|do not) have a paywall\b",
        r"(?i)\bnewsletter abonnieren\b",
        r"(?i)\b(please subscribe|already a subscriber|log in for (immediate )?access|subscribers? (also )?receive)\b",
        r"(?i)\bto (view|read|continue reading|access) the (full|rest of the|entire) (story|article)\b",
        r"(?i)\bdownload the .{1,40} apps?\b",
        r"(?i)^follow .{1,40} on (twitter|facebook|instagram|x|linkedin|tiktok|youtube|threads|bluesky)\b",
        r"(?i)\bsend us a (message|tip)\b",
        r"(?i)^submit (your|a) (letter|story|tip)\b",
        r"(?i)\b(erhalten sie exklusive|unterstütze|jetzt abonnieren|jetzt anmelden|jetzt registrieren|klicken sie auf den)\b",
        r"(?i)\b(pour lire la suite|pour accéder|abonnez-vous|s'abonner)\b",
        r"(?i)\binhalt von .{1,60} zu laden\b",
        r"(?i)^(jetzt )?(abonnieren|abonnez-vous|suscríbete|abbonati)\b",
    ]
    .into_iter()
    .map(|pattern| Regex::new(pattern).expect("valid regex"))
    .collect()
});

static NOTICE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)^(©|\(c\)|copyright\b)",
        r"(?i)\ball rights reserved\b",
        r"(?i)\b(uses?|use of) cookies\b",
        r"(?i)\bcookies?\b.*\b(consent|accept|privacy|partners|preferences|settings|experience|policy)\b",
        r"(?i)\b(our|we and our \d+) partners\b.*\b(store|access|process|data)\b",
        r"(?i)\bprivacy policy\b.*\b(read|see|review|agree)\b",
        r"(?i)\bappeared first on\b",
        r"(?i)\bdelayed (by )?(at least |a minimum of |up to )?\d+ minutes\b",
        r"(?i)\bregistered in (england|scotland|ireland|wales)\b",
        r"(?i)\b(company|registration|registered) (no\.?|number)\s*\d",
        r"(?i)\btraditional (owners|custodians)\b",
        r"(?i)^our (standards|ethics|editorial|mission|values|journalism|policies)\b",
        r"(?i)\brepublished (by|with permission|under licen[cs]e)\b",
        r"(?i)\bmay not be (published|reproduced|copied|broadcast|redistributed)\b",
        r"(?i)\b(this|the) material may not be\b",
        r"(?i)\bwe may (receive|earn|get) (a )?(small )?(commission|compensation|share)\b",
        r"(?i)\badvertisers do not influence\b",
        r"(?i)^(for|only for|exclusively for) [\p{L} -]{3,40} only\.?$",
        r"(?i)\baffiliate links?\b",
    ]
    .into_iter()
    .map(|pattern| Regex::new(pattern).expect("valid regex"))
    .collect()
});

static CREDIT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)^(photo(graph)?s?|pictures?|images?|fotos?|bild|credits?|crédits? photos?|titelbild|bildquelle|bildnachweis|fotocredit|illustration|graphic|video|source|quelle)\s*(credits?|by)?\s*[:：]",
        r"©\s*\p{Lu}[^.]{0,50}$",
        r"(?i)\bphoto credits?\b",
        r"^\p{Lu}[\p{L}'’.-]*(\s+\p{Lu}[\p{L}'’.-]*){1,3}\s*/\s*\p{Lu}[\p{L}&'’. -]{1,40}(/\p{Lu}[\p{L} ]{1,30})?$",
        r"^[\p{L}'’. -]{2,40}/\s*(AP|AFP|Reuters|Getty Images|EPA|dpa|Flickr|Shutterstock|Alamy|iStock|Bloomberg|Xinhua|Sipa|Polaris|Redux|Zuma|ZUMA Press|NurPhoto|Anadolu)(\s+Images)?(/.*)?$",
        r"(?i)^\((ap|afp|reuters|getty|epa|dpa|file)[^)]*\)$",
        r"(?i)^(getty images|ap photo|reuters|afp|shutterstock|istock|alamy|epa)( photo| images?)?$",
    ]
    .into_iter()
    .map(|pattern| Regex::new(pattern).expect("valid regex"))
    .collect()
});

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d+\s*[x×:]\s*\d+( image)?|(image|photo|video|gallery|graphic|slide)( \d+ (of|/) \d+)?|\d+ (of|/) \d+|enlarge this image|toggle caption|hide caption|show caption|image caption|media caption|expand image|view image|\(file photo\)|open image in gallery)$")
        .expect("valid regex")
});

static LIST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(related( stories| articles| coverage| content| links| news| reading)?|more (from|on|in|stories|news)\b.*|most (popular|read|viewed|shared)( from .*)?|read (more|also|next)|recommended( for you| reading)?|you (may|might) also (like|enjoy)|also read|see also|further reading|popular( now| stories)?|top stories|trending( now)?|in other news|latest( news| stories)?|we recommend|editor'?s picks|what to read next|topics|tags|mehr zum thema|lesen sie auch|à lire aussi|lire aussi|leggi anche)\s*:?$")
        .expect("valid regex")
});

static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(topics|tags|filed under|categories|category|keywords|themen|schlagworte|read more|read also|see also|also read|related|more|auch lesen|lesen sie (auch|hier|mehr)|mehr zum thema|lire aussi|à lire aussi|voir aussi|leggi anche|leia também|kommentare insgesamt)\s*:")
        .expect("valid regex")
});

static BYLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:by|von|par|por|door|di)\s+\p{Lu}").expect("valid regex"));

static FIRST_PERSON_PLURAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(we|our|us|ours|we're|we've|we'll)\b").expect("valid regex")
});

static PUBLISHER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(journalis\w*|news\w*|report\w*|newsroom|nonprofit|non-profit|independent|press|media|coverage|content|stories|readers?|publication|publish\w*|magazine|donat\w*|subscri\w*|organi[sz]ation|broadcast\w*|site|website|outlet|newspaper|paper|editorial|advertis\w*)\b")
        .expect("valid regex")
});

static SELF_DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:The )?\p{Lu}[\p{L}\p{N}/&'’.-]*(?:\s+\p{Lu}[\p{L}\p{N}/&'’.-]*){0,4})\s+(?:is|are|has been|was) (?:an?\s|the\s|published\b|funded\b|owned\b|produced\b|supported\b|registered\b|part of\b|a member\b|reader-funded\b|free\b|declared\b|designated\b)")
        .expect("valid regex")
});

static SPEECH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(said|says|told|added|according to|stated|explained|asked)\b"#)
        .expect("valid regex")
});

/// Lowercase, without bullets, surrounding punctuation or repeated spaces.
pub fn normalise(paragraph: &str) -> String {
    let trimmed = strip_bullet(paragraph).trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ':' | '.' | '›' | '»' | '>' | '|' | '-' | '–' | '—' | '→' | '…'
            )
    });
    trimmed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A paragraph without a leading list bullet ("•", "*", "-", "1.").
pub fn strip_bullet(paragraph: &str) -> &str {
    let trimmed = paragraph.trim_start();
    for bullet in ['•', '·', '●', '▪', '◦', '‣', '*', '-', '–', '—', '>'] {
        if let Some(rest) = trimmed.strip_prefix(bullet)
            && rest.starts_with(char::is_whitespace)
        {
            return rest.trim_start();
        }
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits)
        && let Some(rest) = trimmed[digits..].strip_prefix(['.', ')'])
        && rest.starts_with(' ')
    {
        return rest.trim_start();
    }
    trimmed
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Ends like a sentence (or a quotation that closes one).
fn has_terminal_punctuation(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with([
        '.', '!', '?', '"', '”', '’', '»', '…', ';', '。', '！', '？',
    ]) || text.ends_with(".)")
}

fn is_menu_line(paragraph: &str) -> bool {
    if has_terminal_punctuation(paragraph) || paragraph.contains(['"', '(', '{', '<', '=', ';']) {
        return false;
    }
    let segments: Vec<&str> = paragraph
        .split(['|', '•', '·'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if segments.len() >= 3 && segments.iter().all(|s| word_count(s) <= 3) {
        return true;
    }
    // "Share this story · Leave a comment": every part is boilerplate on its own.
    if segments.len() >= 2 && segments.iter().all(|s| classify_strong(s).is_some()) {
        return true;
    }
    let tokens: Vec<String> = paragraph
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '•' | '·'))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    tokens.len() >= 2
        && tokens.len() <= 14
        && tokens
            .iter()
            .filter(|t| SECTIONS.contains(t.as_str()))
            .count()
            * 10
            >= tokens.len() * 8
}

/// Strong rules: safe anywhere in a document.
pub fn classify_strong(paragraph: &str) -> Option<RemovalReason> {
    let text = strip_bullet(paragraph).trim();
    let normalised = normalise(text);
    let words = word_count(text);
    if normalised.is_empty() {
        return None;
    }
    if ADVERTISEMENT.contains(normalised.as_str()) {
        return Some(RemovalReason::Advertisement);
    }
    if NAVIGATION.contains(normalised.as_str()) {
        return Some(RemovalReason::Navigation);
    }
    if AGE_NOTICE.is_match(text) {
        return Some(RemovalReason::AgeNotice);
    }
    if PLACEHOLDER.is_match(&normalised) {
        return Some(RemovalReason::Caption);
    }
    if words <= 30 && CREDIT.iter().any(|r| r.is_match(text)) {
        return Some(RemovalReason::Credit);
    }
    if words <= 60 && NOTICE.iter().any(|r| r.is_match(text)) && !SPEECH.is_match(text) {
        return Some(RemovalReason::PublisherNotice);
    }
    if words <= 45 && CALL_TO_ACTION.iter().any(|r| r.is_match(text)) && !SPEECH.is_match(text) {
        return Some(RemovalReason::CallToAction);
    }
    if words <= 20 && LABEL_LINE.is_match(text) {
        return Some(RemovalReason::Navigation);
    }
    if is_menu_line(text) {
        return Some(RemovalReason::Navigation);
    }
    None
}

/// A line that is a byline or a date: "By Anna Lind | 10 Feb 2026", "Updated 5:00am".
fn byline_or_date(paragraph: &str) -> Option<(Vec<String>, Option<NewsDate>, bool)> {
    let text = strip_bullet(paragraph).trim();
    if word_count(text) > 16 {
        return None;
    }
    let updated =
        text.to_lowercase().starts_with("updated") || text.to_lowercase().contains("last updated");
    let pieces: Vec<&str> = text
        .split(['|', '·', '•', '—', '–'])
        .flat_map(|piece| piece.split("  "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut names = Vec::new();
    let mut date = None;
    let dated = pieces.iter().any(|piece| date_line(piece).is_some());
    for piece in &pieces {
        if let Some(found) = date_line(piece) {
            date = date.or(Some(found));
        } else if BYLINE.is_match(piece) || (dated && looks_like_name(piece)) {
            names.push((*piece).to_string());
        } else if !names.is_empty() {
            // "By Anna Lind  Email the author": trailing link text.
            names.push((*piece).to_string());
        } else {
            return None;
        }
    }
    (!names.is_empty() || date.is_some()).then_some((names, date, updated))
}

/// Two to four capitalised words: a name standing beside a date in a byline.
fn looks_like_name(piece: &str) -> bool {
    let words: Vec<&str> = piece.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !has_terminal_punctuation(piece)
}

/// A line that is only a date, possibly with "Published"/"Updated" and a time.
fn date_line(text: &str) -> Option<NewsDate> {
    if word_count(text) > 9 {
        return None;
    }
    let date = parse_date(text)?;
    let leftover: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .filter(|w| {
            !matches!(
                w.as_str(),
                "updated"
                    | "published"
                    | "posted"
                    | "last"
                    | "modified"
                    | "am"
                    | "pm"
                    | "gmt"
                    | "utc"
                    | "bst"
                    | "cet"
                    | "est"
                    | "edt"
                    | "pst"
                    | "pdt"
                    | "aest"
                    | "aedt"
                    | "uhr"
                    | "den"
                    | "der"
                    | "le"
                    | "on"
                    | "at"
            ) && crate::dates::parse_date(w).is_none()
        })
        .filter(|w| !is_month_or_weekday(w))
        .collect();
    leftover.is_empty().then_some(date)
}

fn is_month_or_weekday(word: &str) -> bool {
    const NAMES: &[&str] = &[
        "january",
        "jan",
        "february",
        "feb",
        "march",
        "mar",
        "april",
        "apr",
        "may",
        "june",
        "jun",
        "july",
        "jul",
        "august",
        "aug",
        "september",
        "sep",
        "sept",
        "october",
        "oct",
        "november",
        "nov",
        "december",
        "dec",
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "thursday",
        "thu",
        "thur",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
        "januar",
        "februar",
        "mai",
        "juni",
        "juli",
        "oktober",
        "dezember",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
    ];
    NAMES.contains(&word)
}

/// Whether a line reads as a headline: a few words, no sentence end other than a
/// question or exclamation mark.
fn is_headline(paragraph: &str) -> bool {
    let words = word_count(paragraph);
    let text = paragraph.trim_end();
    if text.starts_with(['(', '[', '"', '“', '©']) {
        return false;
    }
    (4..=30).contains(&words) && text.chars().count() <= 250 && !text.ends_with(['.', ':', ','])
        || (3..=30).contains(&words) && text.ends_with(['?', '!'])
}

/// Removes paragraphs by the strong rules, then sweeps the head and the tail.
/// `known_title` is the headline when the container gave it (a feed item's title):
/// then the head sweep looks for that line instead of guessing.
pub fn remove(
    body: &mut Body,
    origin: Origin,
    outlet: Option<&str>,
    known_title: Option<&str>,
    layers: Layers,
) -> HeadFindings {
    let mut findings = HeadFindings::default();
    if !layers.boilerplate {
        if origin == Origin::ScrapedText
            && known_title.is_none()
            && let Some(first) = body.paragraphs.first()
            && is_headline(first)
        {
            findings.title = Some(body.paragraphs.remove(0));
        }
        return findings;
    }
    for paragraph in &mut body.paragraphs {
        let stripped = strip_bullet(paragraph);
        if stripped.len() != paragraph.len() {
            *paragraph = stripped.to_string();
        }
    }
    // The tail first: it needs list headings such as "Related stories" in place to
    // recognise the headlines under them.
    sweep_tail(body, outlet);
    sweep_head(body, origin, known_title, &mut findings);
    body.remove_where(|_, paragraph| classify_strong(paragraph));
    findings
}

/// The head: everything above a scraped text's headline, then bylines, datelines and
/// edge boilerplate until the first line of article text.
fn sweep_head(
    body: &mut Body,
    origin: Origin,
    known_title: Option<&str>,
    findings: &mut HeadFindings,
) {
    if origin == Origin::ScrapedText {
        // The headline comes before the story: the search stops at the first paragraph
        // of prose.
        let window = body
            .paragraphs
            .iter()
            .take(20)
            .position(|p| word_count(p) >= 12 && has_terminal_punctuation(p) && !is_headline(p))
            .unwrap_or_else(|| body.paragraphs.len().min(20));
        let candidate = |i: &usize| {
            let paragraph = &body.paragraphs[*i];
            is_headline(paragraph) && classify_strong(paragraph).is_none()
        };
        let position = match known_title {
            Some(title) => {
                let title = normalise(title);
                (0..window).find(|&i| normalise(&body.paragraphs[i]) == title)
            }
            None => (0..window)
                .filter(candidate)
                .find(|&i| word_count(&body.paragraphs[i]) >= 5)
                .or_else(|| (0..window).find(candidate)),
        };
        if let Some(position) = position {
            let preceding: Vec<String> = body.paragraphs.drain(..position).collect();
            for text in preceding {
                body.removed.push(chronicle_model::Removal {
                    reason: classify_strong(&text).unwrap_or(RemovalReason::Navigation),
                    text,
                });
            }
            findings.title = Some(body.paragraphs.remove(0));
        }
    }
    let mut index = 0;
    let limit = 8;
    while index < body.paragraphs.len() && index < limit {
        let paragraph = body.paragraphs[index].clone();
        if let Some((names, date, updated)) = byline_or_date(&paragraph) {
            findings.bylines.extend(names);
            if let Some(date) = date {
                if updated && findings.published.is_some() {
                    findings.updated = findings.updated.or(Some(date));
                } else if updated {
                    findings.updated = Some(date);
                } else {
                    findings.published = findings.published.or(Some(date));
                }
            }
            body.remove_at(index, RemovalReason::Byline);
            continue;
        }
        index += 1;
    }
}

/// The tail, swept backwards: lists of related headlines under a heading, publisher
/// notices and anything the strong rules know, until the first line of article text.
fn sweep_tail(body: &mut Body, outlet: Option<&str>) {
    let window_start = body.paragraphs.len().saturating_sub(15);
    // A blog written as "we" gives no signal when its last paragraph says "we"; a news
    // story in the third person does.
    let first_person_voice = body.paragraphs[..window_start.max(body.paragraphs.len() / 2)]
        .iter()
        .filter(|p| !p.contains(['“', '"']) && FIRST_PERSON_PLURAL.is_match(p))
        .count()
        >= 2;
    let is_self_description = |paragraph: &str| is_self_description(paragraph, first_person_voice);
    let mut subjects: Vec<String> = outlet.map(|o| o.to_string()).into_iter().collect();
    for paragraph in &body.paragraphs[window_start..] {
        if is_self_description(paragraph)
            && let Some(subject) = SELF_DESCRIPTION
                .captures(paragraph)
                .map(|c| c[1].to_string())
                .or_else(|| leading_name(paragraph))
        {
            subjects.push(subject);
        }
    }
    subjects.retain(|s| s.chars().count() >= 2);
    while let Some(last) = body.paragraphs.last().cloned() {
        if let Some(reason) = classify_strong(&last) {
            body.remove_at(body.paragraphs.len() - 1, reason);
            continue;
        }
        if is_self_description(&last) || mentions_subject(&last, &subjects) {
            body.remove_at(body.paragraphs.len() - 1, RemovalReason::PublisherNotice);
            continue;
        }
        if let Some(start) = related_list_start(&body.paragraphs) {
            while body.paragraphs.len() > start {
                body.remove_at(body.paragraphs.len() - 1, RemovalReason::Navigation);
            }
            continue;
        }
        break;
    }
}

/// A publisher describing itself: first person plural or "X is an independent …",
/// about news, not a quoted speaker.
fn is_self_description(paragraph: &str, first_person_voice: bool) -> bool {
    let words = word_count(paragraph);
    if words > 80 || SPEECH.is_match(paragraph) || !PUBLISHER_WORDS.is_match(paragraph) {
        return false;
    }
    let quoted = paragraph.contains(['“', '”']) || paragraph.matches('"').count() >= 2;
    (!first_person_voice && FIRST_PERSON_PLURAL.is_match(paragraph) && !quoted)
        || SELF_DESCRIPTION.is_match(paragraph)
}

fn mentions_subject(paragraph: &str, subjects: &[String]) -> bool {
    word_count(paragraph) <= 60
        && !SPEECH.is_match(paragraph)
        && subjects
            .iter()
            .any(|subject| paragraph.starts_with(subject.as_str()))
}

/// The capitalised name a paragraph starts with ("RFE/RL journalists report …").
fn leading_name(paragraph: &str) -> Option<String> {
    let name: Vec<&str> = paragraph
        .split_whitespace()
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .take(4)
        .collect();
    (!name.is_empty()).then(|| name.join(" "))
}

/// Where a trailing list of links starts: a heading such as "Related stories" followed
/// only by short lines that do not end like sentences.
fn related_list_start(paragraphs: &[String]) -> Option<usize> {
    let mut index = paragraphs.len();
    let mut items = 0;
    while index > 0 {
        let candidate = &paragraphs[index - 1];
        if LIST_HEADING.is_match(&normalise(candidate)) || LABEL_LINE.is_match(candidate) {
            return (items > 0 || LABEL_LINE.is_match(candidate)).then_some(index - 1);
        }
        let text = strip_bullet(candidate);
        if has_terminal_punctuation(text) || word_count(text) > 20 || items >= 12 {
            return None;
        }
        items += 1;
        index -= 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn strong(text: &str, expect: Option<RemovalReason>) {
        assert_eq!(classify_strong(text), expect, "{text}");
    }

    #[test]
    fn strong_rules() {
        use RemovalReason::*;
        strong("Skip to main content", Some(Navigation));
        strong("  • Share this:", Some(Navigation));
        strong("ADVERTISEMENT", Some(Advertisement));
        strong("This article is more than 3 years old", Some(AgeNotice));
        strong("This story is over 5 years old.", Some(AgeNotice));
        strong("16x9 Image", Some(Caption));
        strong("Dana Whitlock/AP", Some(Credit));
        strong("Photo: Kai Roe/The Harbor Ledger", Some(Credit));
        strong(
            "Sources Some Blog / Photo credit: Jo Bloggs/Flickr",
            Some(Credit),
        );
        strong(
            "© 2025 The Harbor Ledger. All rights reserved.",
            Some(PublisherNotice),
        );
        strong(
            "We use cookies to improve your experience on our site.",
            Some(PublisherNotice),
        );
        strong("Sign up for our free newsletter", Some(CallToAction));
        strong(
            "Subscribe to the Ledger Daily and get the morning's headlines in your inbox each day.",
            Some(CallToAction),
        );
        strong(
            "Help our reporters dig deeper with a tax-deductible donation.",
            Some(CallToAction),
        );
        strong(
            "Download the Examiner app for breaking news alerts.",
            Some(CallToAction),
        );
        strong(
            "News  Politics  Sport  Business  Lifestyle",
            Some(Navigation),
        );
        strong(
            "News | Regulatory | Quality | Clinical | Jobs | Events",
            Some(Navigation),
        );
        strong("Topics: Recalls, Trade, Shipping", Some(Navigation));
    }

    #[test]
    fn article_text_is_not_boilerplate() {
        strong(
            "The union said members would sign up for extra shifts once the strike ends.",
            None,
        );
        strong(
            "“We will not back down,” the union's president said on Tuesday.",
            None,
        );
        strong(
            "Copyright lawyers said the ruling would change how newspapers license photos, she said.",
            None,
        );
        strong(
            "Mayor Dana Whitlock said the council would subscribe to the regional plan.",
            None,
        );
        strong("Ferry services resumed on Friday after the storm.", None);
        strong(
            "Trump Adviser Meets Ambassador On Day Sanctions Announced",
            None,
        );
    }

    fn body(lines: &[&str]) -> Body {
        Body {
            paragraphs: lines.iter().map(|l| (*l).to_string()).collect(),
            removed: Vec::new(),
        }
    }

    #[test]
    fn scraped_text_head_and_tail() {
        let mut b = body(&[
            "Skip to content",
            "The Harbor Ledger",
            "Menu",
            "Harbour tolls to rise for the first time in a decade",
            "Shipping lines say the increase will be passed on to importers",
            "By Kai Roe  Email the author",
            "March 4, 2025",
            "The port authority voted on Tuesday to raise tolls by 4 per cent.",
            "Shipping lines said the increase would be passed on.",
            "Related stories",
            "Council approves harbour budget",
            "Dockworkers vote on new contract",
            "The Harbor Ledger is an independent nonprofit newsroom. We are funded by readers.",
            "The Harbor Ledger has been named newsroom of the year.",
            "© 2025 The Harbor Ledger",
        ]);
        let findings = remove(&mut b, Origin::ScrapedText, None, None, Layers::default());
        assert_eq!(
            findings.title.as_deref(),
            Some("Harbour tolls to rise for the first time in a decade")
        );
        assert_eq!(findings.bylines, ["By Kai Roe", "Email the author"]);
        assert_eq!(
            findings.published.map(|d| d.to_string()).as_deref(),
            Some("2025-03-04")
        );
        assert_eq!(
            b.paragraphs,
            [
                "Shipping lines say the increase will be passed on to importers",
                "The port authority voted on Tuesday to raise tolls by 4 per cent.",
                "Shipping lines said the increase would be passed on.",
            ]
        );
    }

    #[test]
    fn a_quote_with_we_at_the_end_stays() {
        let mut b = body(&[
            "Union leaders met on Monday.",
            "“We will keep our members informed about the news,” said the union's president.",
        ]);
        remove(&mut b, Origin::Extracted, None, None, Layers::default());
        assert_eq!(b.paragraphs.len(), 2);
    }
}

static COPYRIGHT_HOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:copyright\s*©?|©|\(c\))\s*(?:copyright\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?([\p{Lu}][^.©]{1,60}?)(?:\s+\d{4})?\s*\.?\s*(?:all rights reserved|$)")
        .expect("valid regex")
});
static REPUBLISHED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\brepublished by ([\p{Lu}][\p{L}&' -]{1,60}?) (?:under|with)\b")
        .expect("valid regex")
});
static COMPANY_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:pty\.? ltd\.?|ltd\.?|limited|inc\.?|llc|plc|gmbh|ag|s\.?a\.?|media(?: group)?(?: ltd\.?)?|group|society|publishing|holdings|company|co\.?)$")
        .expect("valid regex")
});

/// The outlet a scraped text came from, as its own notices name it: the subject of a
/// self-description ("The Harbor Ledger is an independent newsroom"), the outlet that
/// republished a wire story, or the holder of the copyright line.
pub fn outlet_from_notices(removed: &[chronicle_model::Removal]) -> Option<String> {
    let notices = || {
        removed
            .iter()
            .filter(|r| r.reason == RemovalReason::PublisherNotice)
            .map(|r| r.text.as_str())
    };
    let from_description = notices().find_map(|text| {
        SELF_DESCRIPTION
            .captures(text)
            .map(|c| c[1].to_string())
            .filter(|subject| !matches!(subject.as_str(), "This" | "It" | "We" | "The" | "Our"))
    });
    let republished =
        || notices().find_map(|text| REPUBLISHED_BY.captures(text).map(|c| c[1].to_string()));
    let holder = || {
        notices().find_map(|text| {
            let holder = COPYRIGHT_HOLDER.captures(text)?[1].trim().to_string();
            let holder = COMPANY_SUFFIX.replace(&holder, "").trim().to_string();
            (word_count(&holder) <= 6 && !holder.is_empty()).then_some(holder)
        })
    };
    from_description.or_else(republished).or_else(holder)
}

#[cfg(test)]
mod outlet_tests {
    use super::*;
    use chronicle_model::Removal;

    fn notice(text: &str) -> Removal {
        Removal {
            reason: RemovalReason::PublisherNotice,
            text: text.into(),
        }
    }

    #[test]
    fn names_the_outlet_from_its_notices() {
        let found = |texts: &[&str]| {
            outlet_from_notices(&texts.iter().map(|t| notice(t)).collect::<Vec<_>>())
        };
        assert_eq!(
            found(&[
                "© 2025 Harbor Ledger Society. All rights reserved.",
                "The Harbor Ledger is an independent nonprofit newsroom."
            ])
            .as_deref(),
            Some("The Harbor Ledger")
        );
        assert_eq!(
            found(&["Copyright © 2026 Island Examiner Pty Ltd. All rights reserved."]).as_deref(),
            Some("Island Examiner")
        );
        assert_eq!(
            found(&["© Cork Evening Signal 2025. All rights reserved."]).as_deref(),
            Some("Cork Evening Signal")
        );
        assert_eq!(
            found(&["Copyright Wire Agency. Republished by Tideline Business under licence."])
                .as_deref(),
            Some("Tideline Business")
        );
        assert_eq!(found(&["We use cookies to improve your experience."]), None);
        assert_eq!(found(&["Our Standards: The Wire Editorial Charter."]), None);
    }
}
