//! The font the PDF is set in: parsed once, measured per character, embedded as a subset.

use rustc_hash::FxHashMap;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider, string::StringId};
use std::sync::{Arc, OnceLock};

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
/// [`crate::pdf`] call (a batch shares one); [`Font::standard`] is parsed on first use and kept
/// for the process. Cloning is cheap: the font data is shared.
#[derive(Clone)]
pub struct Font {
    /// The font as the PDF library holds it (the data, shared, parsed once).
    embedded: krilla::text::Font,
    /// Advance of the `.notdef` glyph in ems, used for characters the font lacks.
    notdef_advance: f32,
    name: String,
    /// Glyph id and advance (in ems) of every character the font maps, read once from its
    /// `cmap` and `hmtx`: measuring a table looks up a few hundred characters many times,
    /// so it is keyed with the Fx hasher (a multiplication) rather than SipHash.
    glyphs: Arc<FxHashMap<char, (u16, f32)>>,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("name", &self.name)
            .field("chars", &self.glyphs.len())
            .finish()
    }
}

impl Font {
    /// The embedded default font, parsed once per process.
    pub fn standard() -> &'static Font {
        static FONT: OnceLock<Font> = OnceLock::new();
        FONT.get_or_init(|| {
            Font::load(krilla::Data::from(DEFAULT_FONT_BYTES), 0).expect("the embedded font parses")
        })
    }

    /// Parses a TTF/OTF file, or face `index` of a TTC/OTC collection.
    ///
    /// # Errors
    ///
    /// [`FontError::Unparsable`] when the bytes are no font or the face does not exist,
    /// [`FontError::NoChinese`] when the font has no glyph for `中`.
    pub fn from_bytes(bytes: &[u8], index: usize) -> Result<Font, FontError> {
        Font::load(krilla::Data::from(bytes.to_vec()), index)
    }

    fn load(data: krilla::Data, index: usize) -> Result<Font, FontError> {
        let unparsable = FontError::Unparsable { index };
        let face = u32::try_from(index).map_err(|_| FontError::Unparsable { index })?;
        let (name, glyphs, notdef_advance) = {
            let font = FontRef::from_index(data.as_ref(), face).map_err(|_| unparsable)?;
            let units_per_em = f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em
                    .max(1),
            );
            let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
            let advance = |gid| metrics.advance_width(gid).unwrap_or(0.0) / units_per_em;
            let mut glyphs = FxHashMap::default();
            for (code, gid) in font.charmap().mappings() {
                if let (Some(c), Ok(id)) = (char::from_u32(code), u16::try_from(gid.to_u32()))
                    && id != 0
                {
                    glyphs.insert(c, (id, advance(gid)));
                }
            }
            let name = [StringId::POSTSCRIPT_NAME, StringId::FAMILY_NAME]
                .into_iter()
                .find_map(|id| font.localized_strings(id).english_or_first())
                .map(|s| s.to_string())
                .unwrap_or_else(|| format!("font-{index}"));
            (name, glyphs, advance(skrifa::GlyphId::NOTDEF))
        };
        let embedded =
            krilla::text::Font::new(data, face).ok_or(FontError::Unparsable { index })?;
        let font = Font {
            embedded,
            notdef_advance,
            name,
            glyphs: Arc::new(glyphs),
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
        self.glyphs.contains_key(&c)
    }

    /// The advance width of `c` in ems (the `.notdef` width when the font lacks it).
    pub fn advance(&self, c: char) -> f32 {
        self.glyphs
            .get(&c)
            .map_or(self.notdef_advance, |&(_, advance)| advance)
    }

    /// The width of `s` in ems.
    pub fn width(&self, s: &str) -> f32 {
        s.chars().map(|c| self.advance(c)).sum()
    }

    /// The text as positioned glyphs for the PDF library, each carrying the bytes of its
    /// character (so the text stays extractable); characters the font lacks become the
    /// `.notdef` glyph (and are reported by the writer).
    pub(crate) fn glyphs(&self, text: &str) -> Vec<krilla::text::KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let (gid, advance) = self
                    .glyphs
                    .get(&c)
                    .copied()
                    .unwrap_or((0, self.notdef_advance));
                krilla::text::KrillaGlyph::new(
                    krilla::text::GlyphId::new(u32::from(gid)),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    pub(crate) fn embedded(&self) -> &krilla::text::Font {
        &self.embedded
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
        assert!(f.name().contains("NotoSerifSC"), "{}", f.name());
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(
            Font::from_bytes(b"not a font", 0),
            Err(FontError::Unparsable { index: 0 })
        ));
        assert!(matches!(
            Font::from_bytes(DEFAULT_FONT_BYTES, 1),
            Err(FontError::Unparsable { index: 1 })
        ));
    }
}
