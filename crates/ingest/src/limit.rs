//! Size caps on reading, and the one gzip decoder, which applies them.
//!
//! Every read of outside bytes whose size is not known in advance goes through a
//! [`LimitedReader`]: page bodies, stdin, decompressed gzip members, JSON lines. Passing
//! a cap is an [`io::Error`] carrying [`LimitExceeded`], so that the caller can tell it
//! apart from a broken stream and report [`SkipReason::TooLarge`].
//!
//! [`SkipReason::TooLarge`]: chronicle_model::SkipReason::TooLarge

use flate2::bufread::GzDecoder;
use std::io::{self, BufRead, Read};

/// The error inside an [`io::Error`] when a [`LimitedReader`] passes its cap.
#[derive(Debug, thiserror::Error)]
#[error("more than {limit} bytes")]
pub(crate) struct LimitExceeded {
    pub(crate) limit: u64,
}

/// The cap that `error` reports having passed, if that is what it is.
pub(crate) fn exceeded_limit(error: &io::Error) -> Option<u64> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LimitExceeded>())
        .map(|exceeded| exceeded.limit)
}

/// The error inside an [`io::Error`] when a gzip stream is corrupt or ends early.
#[derive(Debug, thiserror::Error)]
#[error("gzip member at compressed byte {offset}: {message}")]
pub(crate) struct GzipError {
    pub(crate) offset: u64,
    pub(crate) message: String,
}

/// Whether `error` comes from a corrupt or truncated gzip stream.
pub(crate) fn is_gzip_error(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|inner| inner.is::<GzipError>())
}

/// Reads at most `limit` bytes from `inner`, and fails rather than stopping quietly when
/// there are more: a document cut at the cap would pass for a whole one.
#[derive(Debug)]
pub(crate) struct LimitedReader<R> {
    inner: R,
    limit: u64,
    read: u64,
}

impl<R: Read> LimitedReader<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            limit,
            read: 0,
        }
    }

    fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for LimitedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // One byte past the cap is asked for, to tell "exactly at the cap" from "over it".
        let allowed = (self.limit - self.read.min(self.limit)).saturating_add(1);
        let wanted = buf
            .len()
            .min(usize::try_from(allowed).unwrap_or(usize::MAX));
        let count = self.inner.read(&mut buf[..wanted])?;
        self.read += count as u64;
        if self.read > self.limit {
            return Err(io::Error::other(LimitExceeded { limit: self.limit }));
        }
        Ok(count)
    }
}

/// Reads all of `reader` into memory, failing with [`LimitExceeded`] past `limit` bytes.
pub(crate) fn read_capped(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    LimitedReader::new(reader, limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Counts the bytes consumed from a buffered reader, for error messages that give an
/// offset into the input.
#[derive(Debug)]
pub(crate) struct CountingReader<R> {
    inner: R,
    consumed: u64,
}

impl<R> CountingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, consumed: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn position(&self) -> u64 {
        self.consumed
    }
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buf)?;
        self.consumed += count as u64;
        Ok(count)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

type Member<R> = LimitedReader<GzDecoder<CountingReader<R>>>;

/// Decompresses a gzip stream member after member (a `.warc.gz` holds one member per
/// record), each member capped at `limit` decompressed bytes. Corruption and truncation
/// become [`GzipError`]s naming the compressed offset of the member.
#[derive(Debug)]
pub(crate) struct GzipReader<R: BufRead> {
    member: Option<Member<R>>,
    between_members: Option<CountingReader<R>>,
    member_start: u64,
    limit: u64,
}

/// Wraps `reader` in the one size-capped gzip decoder.
pub(crate) fn capped_gunzip<R: BufRead>(reader: R, limit: u64) -> GzipReader<R> {
    GzipReader {
        member: None,
        between_members: Some(CountingReader::new(reader)),
        member_start: 0,
        limit,
    }
}

impl<R: BufRead> GzipReader<R> {
    fn fail(&mut self, message: String) -> io::Error {
        // A broken stream cannot be resynchronised; later reads end it.
        self.member = None;
        self.between_members = None;
        io::Error::other(GzipError {
            offset: self.member_start,
            message,
        })
    }
}

impl<R: BufRead> Read for GzipReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(member) = &mut self.member {
                match member.read(buf) {
                    Ok(0) => {
                        let finished = self.member.take().map(|m| m.into_inner().into_inner());
                        self.between_members = finished;
                        continue;
                    }
                    Ok(count) => return Ok(count),
                    Err(error) if exceeded_limit(&error).is_some() => return Err(error),
                    Err(error) => {
                        let message = if error.kind() == io::ErrorKind::UnexpectedEof {
                            "the stream ends early".to_string()
                        } else {
                            error.to_string()
                        };
                        return Err(self.fail(message));
                    }
                }
            }
            let Some(mut input) = self.between_members.take() else {
                return Ok(0);
            };
            let position = input.position();
            let next = match input.fill_buf() {
                Ok(next) => next,
                Err(error) => return Err(self.fail(error.to_string())),
            };
            if next.is_empty() {
                self.between_members = Some(input);
                return Ok(0);
            }
            let looks_like_gzip = next[0] == 0x1F && next.get(1).is_none_or(|b| *b == 0x8B);
            self.member_start = position;
            if !looks_like_gzip {
                return Err(self.fail("bytes after the last gzip member are not gzip".into()));
            }
            self.member = Some(LimitedReader::new(GzDecoder::new(input), self.limit));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn limited_reader_allows_exactly_the_cap() {
        assert_eq!(read_capped(&b"12345"[..], 5).unwrap(), b"12345");
        let error = read_capped(&b"123456"[..], 5).unwrap_err();
        assert_eq!(exceeded_limit(&error), Some(5));
        assert_eq!(read_capped(&b""[..], 0).unwrap(), b"");
    }

    #[test]
    fn gunzips_member_after_member() {
        let mut stream = gzip(b"first ");
        stream.extend(gzip(b"second"));
        let bytes = read_capped(capped_gunzip(&stream[..], 100), 100).unwrap();
        assert_eq!(bytes, b"first second");
    }

    #[test]
    fn caps_each_member() {
        let bomb = gzip(&vec![0u8; 10_000]);
        let error = read_capped(capped_gunzip(&bomb[..], 1000), u64::MAX).unwrap_err();
        assert_eq!(exceeded_limit(&error), Some(1000));
        // Two members under the cap each pass, though their sum is over it.
        let mut stream = gzip(&[b'a'; 800]);
        stream.extend(gzip(&[b'b'; 800]));
        assert_eq!(
            read_capped(capped_gunzip(&stream[..], 1000), u64::MAX)
                .unwrap()
                .len(),
            1600
        );
    }

    #[test]
    fn truncation_and_corruption_name_the_member() {
        let mut stream = gzip(b"first member");
        let second_start = stream.len() as u64;
        let second = gzip(&b"a second member that is long enough to cut".repeat(20));
        stream.extend(&second[..second.len() / 2]);
        let error = read_capped(capped_gunzip(&stream[..], 1 << 20), u64::MAX).unwrap_err();
        assert!(is_gzip_error(&error), "{error}");
        assert!(
            error.to_string().contains(&format!("byte {second_start}")),
            "{error}"
        );

        let mut junk = gzip(b"fine");
        junk.extend(b"trailing junk");
        let error = read_capped(capped_gunzip(&junk[..], 1 << 20), u64::MAX).unwrap_err();
        assert!(is_gzip_error(&error), "{error}");
    }
}
