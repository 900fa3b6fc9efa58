//! The text of a CSV file as offices save it: UTF-8 with or without a BOM,
//! UTF-16 with a BOM (Excel's "Unicode 文本"), or GB18030/GBK (Excel on a
//! Chinese Windows) — and a file that mixes UTF-8 with pasted GBK lines is
//! named at the line where it changes rather than guessed at.
//!
//! A small table is decoded whole ([`to_utf8`]); the inspection records,
//! which can be a nation's year (20 million rows, over a gigabyte), are
//! decoded a piece at a time ([`Pieces`]), each piece ending at the end of
//! a record, so that they are never held whole.

use sha2::{Digest, Sha256};
use std::io::Read;

/// Why a file's bytes are not read as text. Each is one error about the
/// whole file, said in place of the hundreds its misread rows would give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file starts as UTF-8 and turns into another encoding at this line.
    Mixed(usize),
    /// UTF-32 (a byte-order mark of four bytes).
    Utf32,
    /// Every other byte zero: UTF-16 saved without its byte-order mark.
    Utf16WithoutBom,
    /// Zero bytes that are not UTF-16: not a text file.
    Binary,
    /// Lines end in a carriage return alone (old Mac line ends).
    CarriageReturnsOnly,
    /// Not UTF-8, and not whole GB18030 either from this line on (cut short
    /// in a character, or another encoding pasted in).
    BrokenGb18030(usize),
}

/// What the first bytes of a file say against reading it as text at all.
fn unreadable(first: &[u8]) -> Option<Problem> {
    if first.starts_with(b"\xFF\xFE\0\0") || first.starts_with(b"\0\0\xFE\xFF") {
        return Some(Problem::Utf32);
    }
    if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
        return None; // UTF-16 with its mark, read as such
    }
    let zeros = memchr::memchr_iter(0, first).count();
    if zeros > 0 {
        // UTF-16: the zeros are the high bytes of ASCII (digits, commas,
        // line ends), nearly all on one side of their pairs (a character
        // such as U+5E00 puts one on the other); a workbook's are not.
        let odd = first.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let one_side = odd.max(zeros - odd) * 10 >= zeros * 9;
        if one_side && zeros >= 4 {
            return Some(Problem::Utf16WithoutBom);
        }
        // A stray NUL pasted into a name is a control character, removed
        // with a warning where the cell is read; a file of many is not text.
        if zeros * 100 >= first.len() {
            return Some(Problem::Binary);
        }
    }
    let body = first.strip_suffix(b"\r").unwrap_or(first);
    (memchr::memchr(b'\n', first).is_none() && memchr::memchr(b'\r', body).is_some())
        .then_some(Problem::CarriageReturnsOnly)
}

/// The line (1-based) of the first character GB18030 could not decode.
fn broken_line(text: &str) -> Option<usize> {
    let at = text.find('\u{FFFD}')?;
    Some(memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1)
}

/// The bytes as text, validated once: UTF-8 (a BOM is dropped), or GB18030
/// (a superset of GBK and GB2312) when they are not UTF-8, or the
/// [`Problem`] that keeps them from being read.
pub fn to_utf8(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, Problem> {
    if let Some(problem) = unreadable(&bytes[..bytes.len().min(FIRST_READ)]) {
        return Err(problem);
    }
    // UTF-16 with its byte-order mark: Excel's "Unicode 文本" export.
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return Ok(text.into_owned().into());
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.into()),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            if let Some(line) = mixed_encoding_line(valid) {
                return Err(Problem::Mixed(line));
            }
            let (text, _, broken) = encoding_rs::GB18030.decode(bytes);
            match broken.then(|| broken_line(&text)).flatten() {
                Some(line) => Err(Problem::BrokenGb18030(line)),
                None => Ok(text.into_owned().into()),
            }
        }
    }
}

/// The line where a file that is UTF-8 (with Chinese text) stops being
/// UTF-8 (lines pasted from a GBK file), given its part that is valid UTF-8.
/// A file that is not UTF-8 from its first non-ASCII character on is read
/// as GB18030 instead.
fn mixed_encoding_line(valid: &str) -> Option<usize> {
    // Real UTF-8 Chinese: whole lines of CJK ideographs (three-byte
    // sequences). GBK bytes that happen to decode as UTF-8 give two-byte
    // characters (U+0080–U+07FF) instead, so those mean "not UTF-8".
    let cjk = valid
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let two_byte = valid.chars().any(|c| ('\u{80}'..='\u{7ff}').contains(&c));
    if cjk < 2 || two_byte || !valid.contains('\n') {
        return None;
    }
    Some(valid.matches('\n').count() + 1)
}

/// A file's text a piece at a time, each piece ending at the end of a CSV
/// record (a line end outside quotes), with the SHA-256 of its bytes.
///
/// The first read is small ([`FIRST_READ`]): the first piece, which holds
/// the header row, is at hand at once, and the file's bulk is read later,
/// beside other work. The encoding is told as [`to_utf8`] tells it, from
/// that first read: a file shorter than it reads exactly as [`to_utf8`]
/// reads it. In a longer one, a byte that is not UTF-8 after a first read
/// that was switches to GB18030 if everything before it was ASCII (which
/// reads the same in both), and is otherwise the mixed-encoding error at its
/// line.
pub struct Pieces<R> {
    source: R,
    sha: Sha256,
    piece_bytes: usize,
    decoding: Decoding,
    /// The start of a UTF-8 character cut off at the end of the last read.
    pending: Vec<u8>,
    /// Text decoded after the last piece given out.
    text: String,
    /// The bytes of the last read, kept for the next one: a fresh buffer
    /// for each piece would be memory the process touches anew each time.
    raw: Vec<u8>,
    /// Line ends in the UTF-8 text decoded so far (for the mixed-encoding
    /// error's line).
    lines: usize,
    /// Line ends in the pieces given out (for a broken GB18030 line).
    given_lines: usize,
    /// Whether the text decoded so far is all ASCII.
    ascii: bool,
    started: bool,
    finished: bool,
}

enum Decoding {
    Utf8,
    Other(encoding_rs::Decoder),
}

/// The first read of a file: enough for its header row and some records.
const FIRST_READ: usize = 64 << 10;

/// Why a piece could not be read.
#[derive(Debug)]
pub enum PieceError {
    Io(std::io::Error),
    Encoding(Problem),
}

impl<R: Read> Pieces<R> {
    /// Pieces of about `piece_bytes` (the first one smaller).
    pub fn new(source: R, piece_bytes: usize) -> Self {
        Pieces {
            source,
            sha: Sha256::new(),
            piece_bytes: piece_bytes.max(4),
            decoding: Decoding::Utf8,
            pending: Vec::new(),
            text: String::new(),
            raw: Vec::new(),
            lines: 0,
            given_lines: 0,
            ascii: true,
            started: false,
            finished: false,
        }
    }

    /// The next piece: whole records, their line ends included; `None` at
    /// the end of the file.
    pub fn next_piece(&mut self) -> Result<Option<String>, PieceError> {
        while !self.finished {
            let want = match self.started {
                true => self.piece_bytes,
                false => self.piece_bytes.min(FIRST_READ),
            };
            let mut raw = std::mem::take(&mut self.raw);
            self.read_raw(want, &mut raw).map_err(PieceError::Io)?;
            let last = raw.len() < want;
            self.sha.update(&raw);
            let decoded = self.decode(&raw, last);
            self.raw = raw;
            decoded?;
            if last {
                self.finished = true;
            } else if let Some(end) = record_end(&self.text) {
                let rest = self.text.split_off(end);
                let piece = std::mem::replace(&mut self.text, rest);
                return self.give(piece).map(Some);
            }
        }
        match self.text.is_empty() {
            true => Ok(None),
            false => {
                let piece = std::mem::take(&mut self.text);
                self.give(piece).map(Some)
            }
        }
    }

    /// A piece, unless GB18030 could not decode some of it.
    fn give(&mut self, piece: String) -> Result<String, PieceError> {
        if let (Decoding::Other(_), Some(line)) = (&self.decoding, broken_line(&piece)) {
            let line = self.given_lines + line;
            return Err(PieceError::Encoding(Problem::BrokenGb18030(line)));
        }
        self.given_lines += memchr::memchr_iter(b'\n', piece.as_bytes()).count();
        Ok(piece)
    }

    /// The SHA-256 of the bytes read (all of them once [`Pieces::next_piece`]
    /// has said `None`), as hex.
    pub fn sha256(&self) -> String {
        super::hex(&self.sha.clone().finalize())
    }

    /// Up to `want` bytes; fewer only at the end of the file.
    fn read_raw(&mut self, want: usize, raw: &mut Vec<u8>) -> std::io::Result<()> {
        raw.clear();
        raw.reserve_exact(want);
        (&mut self.source).take(want as u64).read_to_end(raw)?;
        Ok(())
    }

    fn decode(&mut self, raw: &[u8], last: bool) -> Result<(), PieceError> {
        let mut raw = raw;
        if !self.started {
            self.started = true;
            raw = self.sniff(raw, last)?;
        }
        match &mut self.decoding {
            Decoding::Other(decoder) => {
                decode_into(decoder, raw, &mut self.text, last);
                Ok(())
            }
            Decoding::Utf8 => self.decode_utf8(raw, last),
        }
    }

    /// The encoding, from the byte-order mark or (without one) from the
    /// first read as [`to_utf8`] tells it (`whole_file`: the read is all of
    /// the file); the bytes after the mark.
    fn sniff<'a>(&mut self, raw: &'a [u8], whole_file: bool) -> Result<&'a [u8], PieceError> {
        if let Some(problem) = unreadable(raw) {
            return Err(PieceError::Encoding(problem));
        }
        for (bom, encoding) in [
            (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
            (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
        ] {
            if let Some(rest) = raw.strip_prefix(bom) {
                self.decoding = Decoding::Other(encoding.new_decoder_without_bom_handling());
                return Ok(rest);
            }
        }
        let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
        if let Err(e) = std::str::from_utf8(raw) {
            if e.error_len().is_some() || whole_file {
                let valid = std::str::from_utf8(&raw[..e.valid_up_to()]).unwrap_or_default();
                if let Some(line) = mixed_encoding_line(valid) {
                    return Err(PieceError::Encoding(Problem::Mixed(line)));
                }
                self.decoding =
                    Decoding::Other(encoding_rs::GB18030.new_decoder_without_bom_handling());
            }
        }
        Ok(raw)
    }

    /// UTF-8 validated as it comes; a character cut by the end of a read
    /// waits for the next.
    fn decode_utf8(&mut self, raw: &[u8], last: bool) -> Result<(), PieceError> {
        let mut raw = raw;
        if !self.pending.is_empty() {
            // Complete the cut character with the first bytes of this read.
            let need = utf8_width(self.pending[0]).saturating_sub(self.pending.len());
            let take = need.min(raw.len());
            self.pending.extend_from_slice(&raw[..take]);
            raw = &raw[take..];
            let pending = std::mem::take(&mut self.pending);
            self.push_utf8(&pending, last && raw.is_empty())?;
        }
        self.push_utf8(raw, last)
    }

    fn push_utf8(&mut self, bytes: &[u8], last: bool) -> Result<(), PieceError> {
        let (valid, rest) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, &[][..]),
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
        };
        self.lines += memchr::memchr_iter(b'\n', valid.as_bytes()).count();
        self.ascii &= valid.is_ascii();
        self.text.push_str(valid);
        if rest.is_empty() {
            return Ok(());
        }
        let cut_short = std::str::from_utf8(rest)
            .err()
            .is_some_and(|e| e.error_len().is_none());
        if cut_short && !last {
            self.pending = rest.to_vec();
            return Ok(());
        }
        if !self.ascii {
            return Err(PieceError::Encoding(Problem::Mixed(self.lines + 1)));
        }
        // ASCII so far reads the same in GB18030: the file is GB18030.
        let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
        decode_into(&mut decoder, rest, &mut self.text, last);
        self.decoding = Decoding::Other(decoder);
        Ok(())
    }
}

/// Decodes `bytes` onto the end of `text`.
fn decode_into(decoder: &mut encoding_rs::Decoder, bytes: &[u8], text: &mut String, last: bool) {
    let room = decoder
        .max_utf8_buffer_length(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    text.reserve(room);
    let _ = decoder.decode_to_string(bytes, text, last);
}

/// The length of the UTF-8 character that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Where the text's last complete CSV record ends: after its last line end
/// outside quotes (a quoted value may hold line ends; quotes inside one are
/// doubled, so an even count of quotes before a line end means outside).
fn record_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let quotes = |b: &[u8]| memchr::memchr_iter(b'"', b).count();
    let mut end = memchr::memrchr(b'\n', bytes)?;
    let mut before = quotes(&bytes[..end]);
    while before % 2 == 1 {
        let previous = memchr::memrchr(b'\n', &bytes[..end])?;
        before -= quotes(&bytes[previous..end]);
        end = previous;
    }
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_what_is_not_read_as_text() {
        let utf16: Vec<u8> = "单位,名称\nU1,东湖区\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(to_utf8(&utf16), Err(Problem::Utf16WithoutBom));
        assert_eq!(to_utf8(b"\xFF\xFE\0\0a\0\0\0"), Err(Problem::Utf32));
        assert_eq!(to_utf8(b"a,b\r1,2\r"), Err(Problem::CarriageReturnsOnly));
        assert_eq!(
            to_utf8(b"a,b\r"),
            Ok("a,b\r".into()),
            "one line ending in CR"
        );
        let zip = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0\xab\x12\0\0\x93\x01\0\0";
        assert_eq!(to_utf8(zip), Err(Problem::Binary));
        // One NUL pasted into a name: text, its control character removed
        // where the cell is read.
        let stray = format!(
            "单位编码,单位名称\nU1,东湖\0区\n{}",
            "U2,西山区\n".repeat(20)
        );
        assert!(to_utf8(stray.as_bytes()).is_ok());
        let mut cut = encoding_rs::GB18030.encode("单位\n东湖区\n").0.into_owned();
        cut.push(0xB6);
        assert_eq!(to_utf8(&cut), Err(Problem::BrokenGb18030(3)));
    }

    #[test]
    fn tells_a_gbk_file_from_a_utf8_file_with_a_gbk_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("指标代码,责任单位\nB2,东湖区\n");
        assert_eq!(
            to_utf8(&gbk).as_deref(),
            Ok("指标代码,责任单位\nB2,东湖区\n"),
            "all GBK: read as GB18030"
        );
        let mut mixed = "单位,数量\n青羊区,2\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encoding_rs::GBK.encode("锦江区,3\n").0);
        assert_eq!(to_utf8(&mixed), Err(Problem::Mixed(3)));
        assert_eq!(
            to_utf8("\u{feff}单位\n青羊区\n".as_bytes()).as_deref(),
            Ok("单位\n青羊区\n"),
            "valid UTF-8, the BOM dropped"
        );
    }

    /// The pieces of `bytes` read `size` bytes at a time, or the error.
    fn pieces(bytes: &[u8], size: usize) -> Result<Vec<String>, usize> {
        let mut p = Pieces::new(bytes, size);
        let mut out = Vec::new();
        loop {
            match p.next_piece() {
                Ok(Some(piece)) => out.push(piece),
                Ok(None) => break,
                Err(PieceError::Encoding(Problem::Mixed(line))) => return Err(line),
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(p.sha256(), crate::ingest::sha256_hex(bytes));
        Ok(out)
    }

    #[test]
    fn pieces_end_at_record_ends_and_read_as_the_whole_file_does() {
        let text = "单位,数量,问题描述\n青羊区,2,\"链接失效，\n共“两”处\"\n\n锦江区,,\"\"\"引号\"\"\"\n武侯区,1,x\n";
        let utf8 = text.as_bytes().to_vec();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let gb = encoding_rs::GB18030.encode(text).0.into_owned();
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        for bytes in [utf8, bom, gb, utf16] {
            for size in [4, 5, 7, 16, 1 << 20] {
                let got = pieces(&bytes, size).unwrap();
                assert_eq!(got.concat(), text, "{size} bytes at a time");
                for piece in &got {
                    assert!(piece.ends_with('\n'), "{piece:?}");
                    assert_eq!(piece.matches('"').count() % 2, 0, "{piece:?}");
                }
                if size == 4 {
                    // The quoted line end does not end a piece.
                    assert!(got.iter().any(|p| p.contains("失效，\n共")), "{got:?}");
                }
            }
        }
    }

    #[test]
    fn a_gbk_line_after_utf8_chinese_is_named_in_any_piece() {
        let mut mixed = "单位,数量\n青羊区,2\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encoding_rs::GBK.encode("锦江区,3\n").0);
        assert_eq!(to_utf8(&mixed), Err(Problem::Mixed(3)));
        for size in [4, 8, 1 << 20] {
            assert_eq!(pieces(&mixed, size), Err(3), "{size} bytes at a time");
        }
        // ASCII first, then GBK: the file is GB18030, as a whole and in pieces.
        let mut late = b"unit,count\nG01,2\nG02,1\n".to_vec();
        late.extend_from_slice(&encoding_rs::GBK.encode("锦江区,3\n").0);
        let whole = to_utf8(&late).unwrap();
        assert!(whole.ends_with("锦江区,3\n"));
        for size in [4, 9, 1 << 20] {
            assert_eq!(pieces(&late, size).unwrap().concat(), whole);
        }
    }
}
