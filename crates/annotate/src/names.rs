//! Comparing names across documents: spelling and transliteration variants
//! (Sergey/Sergei, Aleksandr/Alexander, Sinéad/Sinead), middle names and patronymics,
//! titles, and obvious typos — without ever equating two different names.

/// A name's words folded for comparison: lowercase, without diacritics, with the
/// spellings that transliteration varies made the same (y/i, ks/x, ph/f, kh/h, doubled
/// letters).
pub fn fold(word: &str) -> String {
    let mut plain = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' | 'ă' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ő' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' | 'ć' | 'č' => 'c',
            'ñ' | 'ń' | 'ň' => 'n',
            'š' | 'ś' | 'ş' | 'ș' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ř' => 'r',
            'ď' => 'd',
            'ť' | 'ț' => 't',
            'ğ' => 'g',
            'ß' => 's',
            c if c.is_alphanumeric() => c,
            _ => continue,
        };
        plain.push(base);
    }
    let replaced = plain
        .replace("ks", "x")
        .replace("ph", "f")
        .replace("kh", "h")
        .replace("ck", "k")
        .replace(['y', 'j'], "i")
        .replace('w', "v");
    let mut folded = String::with_capacity(replaced.len());
    for c in replaced.chars() {
        if !folded.ends_with(c) {
            folded.push(c);
        }
    }
    folded
}

/// The consonant skeleton of a folded word ("aleksandr" and "alexander" → "alxndr").
fn skeleton(folded: &str) -> String {
    let mut chars = folded.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first
        + &chars
            .filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
            .collect::<String>()
}

/// Optimal string alignment distance (edits, with adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// How two words of names compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WordMatch {
    Different,
    /// One edit apart in a long word: a likely typo.
    Typo,
    /// The same once folded, or the same consonant skeleton and close: a variant.
    Variant,
    Same,
}

/// Compares two words of personal names.
pub fn compare_words(a: &str, b: &str) -> WordMatch {
    if a.to_lowercase() == b.to_lowercase() {
        return WordMatch::Same;
    }
    let (fa, fb) = (fold(a), fold(b));
    if fa == fb {
        return WordMatch::Variant;
    }
    if fa.chars().next() == fb.chars().next()
        && skeleton(&fa) == skeleton(&fb)
        && edit_distance(&fa, &fb) <= 2
    {
        return WordMatch::Variant;
    }
    if fa.chars().count() >= 5 && fb.chars().count() >= 5 && edit_distance(&fa, &fb) == 1 {
        return WordMatch::Typo;
    }
    WordMatch::Different
}

/// Whether two full personal names (title already removed) name the same person, and
/// why. First and last words must both match; middle words are ignored; at most one of
/// the two may be a typo, the other must be the same word or a spelling variant.
pub fn same_person(a: &str, b: &str) -> Option<String> {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    if wa.len() < 2 || wb.len() < 2 {
        return None;
    }
    let mut first = compare_words(wa[0], wb[0]);
    // A short form of a given name: "Bea" and "Beatrice", "Alex" and "Alexander".
    if first == WordMatch::Different {
        let (fa, fb) = (fold(wa[0]), fold(wb[0]));
        let (short, long) = if fa.len() <= fb.len() {
            (fa, fb)
        } else {
            (fb, fa)
        };
        if short.chars().count() >= 3 && long.starts_with(&short) {
            first = WordMatch::Variant;
        }
    }
    let last = compare_words(wa[wa.len() - 1], wb[wb.len() - 1]);
    let reason = match (first, last) {
        (WordMatch::Different, _) | (_, WordMatch::Different) => return None,
        (WordMatch::Typo, WordMatch::Typo) => return None,
        (WordMatch::Same, WordMatch::Same) if wa.len() == wb.len() => "same name",
        (WordMatch::Same, WordMatch::Same) => "same first and last name",
        (WordMatch::Typo, _) | (_, WordMatch::Typo) => "one word differs by a single letter",
        _ => "spelling variant",
    };
    Some(format!("{reason}: {a} / {b}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_merge() {
        assert!(same_person("Sergey Kislyak", "Sergei Kislyak").is_some());
        assert!(same_person("Sergey Ivanovich Kislyak", "Sergey Kislyak").is_some());
        assert!(same_person("Aleksandr Sorokin", "Alexander Sorokin").is_some());
        assert!(same_person("Sinéad Ní Bhriain", "Sinead Ni Bhriain").is_some());
        assert!(same_person("Donal Trump", "Donald Trump").is_some());
        assert!(same_person("Declan Fulrong", "Declan Furlong").is_some());
        assert!(same_person("Bea Lowell", "Beatrice Lowell").is_some());
    }

    #[test]
    fn different_people_stay_apart() {
        assert!(same_person("Sergey Kislyak", "Sergey Lavrov").is_none());
        assert!(same_person("Sergei Ryabkov", "Sergey Kislyak").is_none());
        assert!(same_person("Martin Keogh", "Aoife Keogh").is_none());
        assert!(same_person("Helen Marchetti", "Helen Costigan").is_none());
        assert!(same_person("Marco Ferrante", "Elisa Ferrante").is_none());
        assert!(same_person("Ann Roe", "Anna Rose").is_none());
        assert!(same_person("Kislyak", "Sergey Kislyak").is_none());
        assert!(same_person("Jo Lowell", "John Lowell").is_none());
        assert!(same_person("Dana Roe", "Dana Roemer").is_none());
    }
}
