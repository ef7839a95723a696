//! Words of news prose with their byte spans: letters and digits, with the apostrophes,
//! hyphens and inner periods that belong to a word ("O'Brien", "al-Assad", "U.S."),
//! and punctuation as tokens of its own. A possessive "'s" is its own token, so that
//! "Russia's" yields "Russia".

use std::ops::Range;

/// One token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub span: Range<usize>,
}

impl Token<'_> {
    /// Starts with an uppercase letter ("Kislyak", "McDonald", "U.S.", "NATO").
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Every letter is uppercase and there are at least two ("NATO", "U.S.", "FBI").
    pub fn is_all_caps(&self) -> bool {
        let letters: Vec<char> = self.text.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
    }

    /// Made of letters (and inner apostrophes, hyphens, periods).
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphabetic)
    }

    /// Lowercased text.
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Tokens of `text[range]`, with spans into `text`.
pub fn tokens_in(text: &str, range: Range<usize>) -> Vec<Token<'_>> {
    let slice = &text[range.clone()];
    let base = range.start;
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                let next = chars.get(j + 1).map(|(_, n)| *n);
                let joins = d.is_alphanumeric()
                    || (matches!(d, '-' | '.' | '&') || is_apostrophe(d))
                        && next.is_some_and(char::is_alphanumeric);
                // A possessive "'s" or "’s" at the end of a word is its own token.
                if is_apostrophe(d)
                    && matches!(next, Some('s' | 'S'))
                    && chars.get(j + 2).is_none_or(|(_, n)| !n.is_alphanumeric())
                {
                    break;
                }
                // "U.S." keeps its final period when the word is an initialism.
                if !joins {
                    if d == '.' {
                        let word = &slice[start..chars[j].0];
                        let is_initialism = word.len() >= 3
                            && word.split('.').all(|part| part.chars().count() == 1)
                            && word.contains('.');
                        if is_initialism {
                            j += 1;
                        }
                    }
                    break;
                }
                j += 1;
            }
            let end = chars.get(j).map_or(slice.len(), |(index, _)| *index);
            tokens.push(Token {
                text: &slice[start..end],
                span: base + start..base + end,
            });
            i = j;
            continue;
        }
        if is_apostrophe(c)
            && matches!(chars.get(i + 1), Some((_, 's' | 'S')))
            && chars.get(i + 2).is_none_or(|(_, n)| !n.is_alphanumeric())
            && i > 0
        {
            let end = chars.get(i + 2).map_or(slice.len(), |(index, _)| *index);
            tokens.push(Token {
                text: &slice[start..end],
                span: base + start..base + end,
            });
            i += 2;
            continue;
        }
        let end = chars.get(i + 1).map_or(slice.len(), |(index, _)| *index);
        tokens.push(Token {
            text: &slice[start..end],
            span: base + start..base + end,
        });
        i += 1;
    }
    tokens
}

/// Tokens of a whole text.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    tokens_in(text, 0..text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_news_prose() {
        assert_eq!(
            words("Russia's ambassador, Sergey Kislyak, met O'Brien."),
            [
                "Russia",
                "'s",
                "ambassador",
                ",",
                "Sergey",
                "Kislyak",
                ",",
                "met",
                "O'Brien",
                "."
            ]
        );
        assert_eq!(
            words("The U.S. envoy and al-Assad's aide"),
            ["The", "U.S.", "envoy", "and", "al-Assad", "'s", "aide"]
        );
        assert_eq!(
            words("“It’s over,” she said."),
            ["“", "It", "’s", "over", ",", "”", "she", "said", "."]
        );
        assert_eq!(
            words("AT&T paid $3.5 million"),
            ["AT&T", "paid", "$", "3.5", "million"]
        );
        assert_eq!(
            words("in Washington, D.C. on"),
            ["in", "Washington", ",", "D.C.", "on"]
        );
        assert_eq!(
            words("Helen M. Marchetti"),
            ["Helen", "M", ".", "Marchetti"]
        );
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "Mr. Kislyak’s call";
        for token in tokens(text) {
            assert_eq!(&text[token.span.clone()], token.text);
        }
    }
}
