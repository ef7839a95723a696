//! Plain text as scrapers leave it: one paragraph per line or per blank-line block,
//! sometimes hard-wrapped at a fixed width.

/// Splits text into paragraphs. Lines are paragraphs, except that hard-wrapped lines
/// (a long line that does not end a sentence followed by one that continues it) are
/// joined back together.
pub fn paragraphs(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let wrap_width = wrap_width(&lines);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_length = 0;
    for line in lines {
        let content = line.trim();
        if content.is_empty() {
            flush(&mut current, &mut paragraphs);
            previous_length = 0;
            continue;
        }
        // A full-width line continues into the next one unless it ends a sentence and
        // the next starts a list item or repeats it.
        let continues = !current.is_empty()
            && wrap_width
                .is_some_and(|width| previous_length + 20 >= width && previous_length <= width + 5)
            && !(ends_sentence(&current) && starts_new_item(content))
            && current != content;
        if continues {
            current.push(' ');
            current.push_str(content);
        } else {
            flush(&mut current, &mut paragraphs);
            current.push_str(content);
        }
        previous_length = line.chars().count();
    }
    flush(&mut current, &mut paragraphs);
    paragraphs
}

fn flush(current: &mut String, paragraphs: &mut Vec<String>) {
    let paragraph = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !paragraph.is_empty() {
        paragraphs.push(paragraph);
    }
    current.clear();
}

/// The width text was hard-wrapped at, if it was. Paragraphs of wrapped text are
/// blocks of consecutive lines whose lines (but the last) are nearly as long as the
/// wrap width and never longer; the width is the median of the blocks' longest lines.
fn wrap_width(lines: &[&str]) -> Option<usize> {
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut block: Vec<usize> = Vec::new();
    for line in lines {
        let length = line.trim().chars().count();
        if length == 0 {
            if block.len() >= 2 {
                blocks.push(std::mem::take(&mut block));
            }
            block.clear();
        } else {
            block.push(length);
        }
    }
    if block.len() >= 2 {
        blocks.push(block);
    }
    let mut widths: Vec<usize> = blocks
        .iter()
        .filter_map(|b| b.iter().max().copied())
        .collect();
    if widths.len() < 3 {
        return None;
    }
    widths.sort_unstable();
    let width = widths[widths.len() / 2];
    if !(40..=100).contains(&width) {
        return None;
    }
    let full_lines: Vec<usize> = blocks
        .iter()
        .flat_map(|b| b[..b.len() - 1].iter().copied())
        .collect();
    let full = full_lines
        .iter()
        .filter(|&&n| n + 20 >= width && n <= width + 5)
        .count();
    (full * 2 >= full_lines.len()).then_some(width)
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', '"', '”', ':', ';'])
}

fn starts_new_item(line: &str) -> bool {
    line.starts_with(['•', '*', '-', '–', '—', '#', '>'])
        || line.chars().next().is_some_and(|c| c.is_ascii_digit()) && line.contains(". ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_paragraphs() {
        assert_eq!(
            paragraphs("Title\n\nFirst line.\nSecond line.\n\n\nThird."),
            ["Title", "First line.", "Second line.", "Third."]
        );
    }

    #[test]
    fn long_unwrapped_lines_stay_apart() {
        let caption = "Mayor Dana Whitlock at the harbour commission meeting (file photo)";
        let text = format!(
            "{caption}\n{caption}\n\n{}\n\n{}\n",
            "A long paragraph of text that goes on. ".repeat(8),
            "Another long paragraph here. ".repeat(9)
        );
        let found = paragraphs(&text);
        assert_eq!(found[0], caption);
        assert_eq!(found[1], caption);
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let text = "The harbour commission voted on Tuesday to raise the\n\
                    tolls charged to container ships for the first time in\n\
                    a decade, citing the cost of dredging the channel and\n\
                    the repairs needed on the north pier after the storms.\n\
                    \n\
                    Shipping lines said the increase would be passed on to\n\
                    importers and, in the end, to shoppers across the region,\n\
                    and that smaller carriers could move to other ports.\n\
                    \n\
                    The commission will review the tolls again next spring,\n\
                    its chair said.\n";
        assert_eq!(
            paragraphs(text),
            [
                "The harbour commission voted on Tuesday to raise the tolls charged to container ships for the first time in a decade, citing the cost of dredging the channel and the repairs needed on the north pier after the storms.",
                "Shipping lines said the increase would be passed on to importers and, in the end, to shoppers across the region, and that smaller carriers could move to other ports.",
                "The commission will review the tolls again next spring, its chair said.",
            ]
        );
    }
}
