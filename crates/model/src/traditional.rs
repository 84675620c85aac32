//! Traditional characters of the form's vocabulary folded to their Simplified forms, for
//! comparing labels only (`項目名稱` = `项目名称`, `績效指標` = `绩效指标`). Text is always
//! kept as written; this fold is applied by [`crate::framework::normalize_label`], whose
//! result is a key for matching, never output.
//!
//! The table holds the characters that occur in the labels, level-1/level-2 names, titles
//! and units of performance target tables (and their common neighbours), not a general
//! converter: a character outside it is compared as written.

/// (Traditional, Simplified) pairs, sorted by the Traditional character (looked up by binary search).
const PAIRS: &[(char, char)] = &[
    ('來', '来'),
    ('個', '个'),
    ('們', '们'),
    ('備', '备'),
    ('傳', '传'),
    ('僅', '仅'),
    ('價', '价'),
    ('億', '亿'),
    ('優', '优'),
    ('內', '内'),
    ('別', '别'),
    ('則', '则'),
    ('創', '创'),
    ('劃', '划'),
    ('劑', '剂'),
    ('務', '务'),
    ('勵', '励'),
    ('匯', '汇'),
    ('區', '区'),
    ('協', '协'),
    ('參', '参'),
    ('員', '员'),
    ('問', '问'),
    ('單', '单'),
    ('國', '国'),
    ('圍', '围'),
    ('園', '园'),
    ('圖', '图'),
    ('團', '团'),
    ('執', '执'),
    ('報', '报'),
    ('場', '场'),
    ('塊', '块'),
    ('夠', '够'),
    ('學', '学'),
    ('實', '实'),
    ('審', '审'),
    ('寫', '写'),
    ('專', '专'),
    ('對', '对'),
    ('屆', '届'),
    ('屬', '属'),
    ('師', '师'),
    ('帶', '带'),
    ('幣', '币'),
    ('幹', '干'),
    ('廣', '广'),
    ('廳', '厅'),
    ('張', '张'),
    ('強', '强'),
    ('彙', '汇'),
    ('後', '后'),
    ('從', '从'),
    ('復', '复'),
    ('態', '态'),
    ('慮', '虑'),
    ('應', '应'),
    ('戶', '户'),
    ('撥', '拨'),
    ('擔', '担'),
    ('據', '据'),
    ('擬', '拟'),
    ('數', '数'),
    ('於', '于'),
    ('時', '时'),
    ('書', '书'),
    ('會', '会'),
    ('東', '东'),
    ('條', '条'),
    ('業', '业'),
    ('構', '构'),
    ('標', '标'),
    ('機', '机'),
    ('檔', '档'),
    ('檢', '检'),
    ('權', '权'),
    ('歲', '岁'),
    ('歷', '历'),
    ('況', '况'),
    ('測', '测'),
    ('準', '准'),
    ('滿', '满'),
    ('濟', '济'),
    ('為', '为'),
    ('無', '无'),
    ('營', '营'),
    ('狀', '状'),
    ('獎', '奖'),
    ('獲', '获'),
    ('現', '现'),
    ('環', '环'),
    ('產', '产'),
    ('畫', '画'),
    ('當', '当'),
    ('療', '疗'),
    ('發', '发'),
    ('監', '监'),
    ('確', '确'),
    ('稅', '税'),
    ('種', '种'),
    ('稱', '称'),
    ('穩', '稳'),
    ('節', '节'),
    ('範', '范'),
    ('築', '筑'),
    ('簡', '简'),
    ('紀', '纪'),
    ('納', '纳'),
    ('純', '纯'),
    ('級', '级'),
    ('結', '结'),
    ('絕', '绝'),
    ('統', '统'),
    ('經', '经'),
    ('綜', '综'),
    ('維', '维'),
    ('線', '线'),
    ('編', '编'),
    ('縣', '县'),
    ('總', '总'),
    ('績', '绩'),
    ('織', '织'),
    ('繫', '系'),
    ('續', '续'),
    ('義', '义'),
    ('聯', '联'),
    ('職', '职'),
    ('臺', '台'),
    ('與', '与'),
    ('興', '兴'),
    ('舉', '举'),
    ('萬', '万'),
    ('蓋', '盖'),
    ('處', '处'),
    ('號', '号'),
    ('衛', '卫'),
    ('補', '补'),
    ('裝', '装'),
    ('製', '制'),
    ('見', '见'),
    ('規', '规'),
    ('視', '视'),
    ('觀', '观'),
    ('計', '计'),
    ('訓', '训'),
    ('記', '记'),
    ('設', '设'),
    ('許', '许'),
    ('註', '注'),
    ('評', '评'),
    ('試', '试'),
    ('話', '话'),
    ('誤', '误'),
    ('說', '说'),
    ('調', '调'),
    ('請', '请'),
    ('論', '论'),
    ('證', '证'),
    ('護', '护'),
    ('負', '负'),
    ('財', '财'),
    ('貨', '货'),
    ('責', '责'),
    ('費', '费'),
    ('貼', '贴'),
    ('資', '资'),
    ('質', '质'),
    ('賬', '账'),
    ('購', '购'),
    ('辦', '办'),
    ('農', '农'),
    ('這', '这'),
    ('週', '周'),
    ('進', '进'),
    ('運', '运'),
    ('過', '过'),
    ('達', '达'),
    ('違', '违'),
    ('適', '适'),
    ('選', '选'),
    ('還', '还'),
    ('鄉', '乡'),
    ('醫', '医'),
    ('針', '针'),
    ('錄', '录'),
    ('鎮', '镇'),
    ('長', '长'),
    ('門', '门'),
    ('開', '开'),
    ('間', '间'),
    ('關', '关'),
    ('陣', '阵'),
    ('隊', '队'),
    ('際', '际'),
    ('險', '险'),
    ('雙', '双'),
    ('離', '离'),
    ('電', '电'),
    ('響', '响'),
    ('項', '项'),
    ('順', '顺'),
    ('預', '预'),
    ('題', '题'),
    ('額', '额'),
    ('類', '类'),
    ('顧', '顾'),
    ('顯', '显'),
    ('風', '风'),
    ('養', '养'),
    ('驗', '验'),
    ('體', '体'),
    ('麼', '么'),
    ('點', '点'),
    ('齊', '齐'),
];

/// One bit per character of the Basic Multilingual Plane: set for the Traditional characters
/// of [`PAIRS`] (all of which are in it). Almost every character compared is not one of them,
/// and this answers that at once, without the binary search (which was the single most costly
/// step of reading a large workbook).
static TRADITIONAL: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < PAIRS.len() {
        let c = PAIRS[i].0 as u32;
        assert!(
            c < 0x1_0000,
            "every Traditional character of the table is in the BMP"
        );
        bits[(c >> 6) as usize] |= 1 << (c & 63);
        i += 1;
    }
    bits
};

/// The Simplified form of `c` when it is a Traditional character of the table, else `c`.
pub fn simplified(c: char) -> char {
    let code = c as u32;
    if code >= 0x1_0000 || TRADITIONAL[(code >> 6) as usize] & (1 << (code & 63)) == 0 {
        return c;
    }
    PAIRS
        .binary_search_by(|(t, _)| t.cmp(&c))
        .map_or(c, |i| PAIRS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_the_vocabulary() {
        let fold = |s: &str| s.chars().map(simplified).collect::<String>();
        assert_eq!(fold("項目名稱"), "项目名称");
        assert_eq!(fold("績效指標"), "绩效指标");
        assert_eq!(fold("預算單位"), "预算单位");
        assert_eq!(fold("年度資金總額（萬元）"), "年度资金总额（万元）");
        assert_eq!(fold("產出指標"), "产出指标");
        assert_eq!(fold("服務對象滿意度"), "服务对象满意度");
    }

    #[test]
    fn the_bitmap_agrees_with_the_table_on_every_character() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let by_search = PAIRS
                .binary_search_by(|(t, _)| t.cmp(&c))
                .map_or(c, |i| PAIRS[i].1);
            assert_eq!(simplified(c), by_search, "{c}");
        }
    }

    #[test]
    fn every_pair_maps_to_a_different_character() {
        for (t, s) in PAIRS {
            assert_ne!(t, s);
        }
        assert!(
            PAIRS.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
    }
}
