//! The font the PDF is set in: parsed once, measured per character, embedded as a subset.

use printpdf::ParsedFont;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

/// The embedded default: Noto Serif SC Regular (a Song-style face, SIL OFL 1.1), cut down to
/// GB2312 plus ASCII, Latin-1, general and CJK punctuation, full-width forms and the common
/// symbol blocks. `assets/fonts/README.md` says where it came from and how to remake it.
pub static DEFAULT_FONT_BYTES: &[u8] =
    include_bytes!("../../../../assets/fonts/NotoSerifSC-Regular-GB2312.ttf");

/// Why a font file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The bytes are not a TrueType/OpenType font or collection, or the face does not exist.
    #[error("无法解析字体文件（第 {index} 个字形集）：不是可用的 TTF/OTF/TTC 字体")]
    Unparsable {
        /// The face index asked for.
        index: usize,
    },
    /// The font maps no CJK ideograph, so it cannot set these tables.
    #[error("字体“{name}”不含汉字，不能用于绩效目标表")]
    NoChinese {
        /// The font's name.
        name: String,
    },
}

/// A parsed font, ready to measure text and to embed. Parse it once and pass it to every
/// [`crate::pdf`] call; [`Font::standard`] is parsed on first use and kept for the process.
#[derive(Debug)]
pub struct Font {
    parsed: ParsedFont,
    units_per_em: f32,
    /// Advance of the `.notdef` glyph, used for characters the font lacks.
    notdef_advance: f32,
    name: String,
    /// Glyph id and advance (in ems) of each character looked up so far, `None` when the
    /// font lacks it.
    /// The font's cmap lookup is slow (it was three quarters of the time to write a PDF), and
    /// a table uses a few hundred distinct characters many times over.
    glyphs: RwLock<HashMap<char, Option<(u16, f32)>>>,
}

impl Clone for Font {
    fn clone(&self) -> Self {
        Font {
            parsed: self.parsed.clone(),
            units_per_em: self.units_per_em,
            notdef_advance: self.notdef_advance,
            name: self.name.clone(),
            glyphs: RwLock::new(self.glyphs.read().map(|m| m.clone()).unwrap_or_default()),
        }
    }
}

impl Font {
    /// The embedded default font, parsed once per process.
    pub fn standard() -> &'static Font {
        static FONT: OnceLock<Font> = OnceLock::new();
        FONT.get_or_init(|| {
            Font::from_bytes(DEFAULT_FONT_BYTES, 0).expect("the embedded font parses")
        })
    }

    /// Parses a TTF/OTF file, or face `index` of a TTC/OTC collection.
    pub fn from_bytes(bytes: &[u8], index: usize) -> Result<Font, FontError> {
        // The parser ignores the index of a single font and may misread one past the end of
        // a collection: check it here.
        let faces = match bytes.get(..12) {
            Some([b't', b't', b'c', b'f', _, _, _, _, n @ ..]) => {
                u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize
            }
            _ => 1,
        };
        if index >= faces {
            return Err(FontError::Unparsable { index });
        }
        let parsed = ParsedFont::from_bytes(bytes, index, &mut Vec::new())
            .ok_or(FontError::Unparsable { index })?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        let name = parsed
            .font_name
            .clone()
            .unwrap_or_else(|| format!("font-{index}"));
        let font = Font {
            notdef_advance: f32::from(parsed.get_horizontal_advance(0)) / units_per_em,
            parsed,
            units_per_em,
            name,
            glyphs: RwLock::new(HashMap::new()),
        };
        if !font.has_char('中') {
            return Err(FontError::NoChinese { name: font.name });
        }
        Ok(font)
    }

    /// The font's PostScript or family name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True when the font has a glyph for `c`.
    pub fn has_char(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The advance width of `c` in ems (the `.notdef` width when the font lacks it).
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c)
            .map_or(self.notdef_advance, |(_, advance)| advance)
    }

    /// The text as glyph ids for the PDF writer, each carrying its character for the
    /// ToUnicode map (so the text stays extractable); characters the font lacks become the
    /// `.notdef` glyph (and are reported by the writer).
    pub(crate) fn codepoints(&self, text: &str) -> Vec<printpdf::Codepoint> {
        text.chars()
            .map(|c| printpdf::Codepoint {
                gid: self.glyph(c).map_or(0, |(gid, _)| gid),
                offset: 0.0,
                cid: Some(c.to_string()),
            })
            .collect()
    }

    /// Glyph id and advance (ems) of `c` if the font has it, memoized.
    fn glyph(&self, c: char) -> Option<(u16, f32)> {
        if let Some(found) = self.glyphs.read().ok().and_then(|m| m.get(&c).copied()) {
            return found;
        }
        let found = match self.parsed.lookup_glyph_index(c as u32) {
            Some(g) if g != 0 => Some((
                g,
                f32::from(self.parsed.get_horizontal_advance(g)) / self.units_per_em,
            )),
            _ => None,
        };
        if let Ok(mut m) = self.glyphs.write() {
            m.insert(c, found);
        }
        found
    }

    /// The width of `s` in ems.
    pub fn width(&self, s: &str) -> f32 {
        s.chars().map(|c| self.advance(c)).sum()
    }

    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_font_covers_the_form() {
        let f = Font::standard();
        for c in
            "项目支出绩效目标表预算单位和硕县≥≤＞＜=%（）：，。、；0123456789abcXYZ.-—①".chars()
        {
            assert!(f.has_char(c), "{c}");
        }
        assert!(!f.has_char('\u{4DAE}'), "䶮 is outside GB2312");
        assert!((f.advance('中') - 1.0).abs() < 0.01);
        assert!(f.advance('1') < 0.7);
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(
            Font::from_bytes(b"not a font", 0),
            Err(FontError::Unparsable { index: 0 })
        ));
    }
}
