# -*- coding: utf-8 -*-
"""Writes expected/*.json for the newhold2 pages (rows read by hand from the source text)."""
import json, os
OUT = os.path.join(os.path.dirname(__file__), '..', 'expected')

def R(l1, l2, l3, v, op, num, unit, alt=None):
    d = {"level1": l1, "level2": l2, "level3": l3, "value_raw": v, "op": op, "number": num, "unit": unit}
    if alt: d["alt"] = alt
    return d

FILES = []
def F(file, kind, rec, year, bu, pn, funds, inds, opt, notes):
    FILES.append({"file": file, "kind": kind, "recoverable": rec, "year": year, "budget_unit": bu,
                  "project_name": pn, "funds": funds, "indicators": inds, "optional_rows": opt, "notes": notes})

def funds(t, f, o, u='万元'):
    return {"total": t, "fiscal": f, "other": o, "unit": u}

# 1 ---------------------------------------------------------------------------------------------
P, Q, M = "产出指标", "效益指标", "满意度指标"
F("sichuan-jingyan-mata-2023-bumen-yusuan-multi-project-op-col.md", "申报", True, 2023,
  "井研县马踏镇人民政府", "村组干部报酬", funds(3309840.00, None, None, '元'),
  [R(Q, "社会效益指标", "维护社会稳定", "95", "≥", 95, "%"),
   R(P, "时效指标", "维持时效", "1", "≥", 1, "年"),
   R(P, "质量指标", "按时发放", "1", "≥", 1, "人/年"),
   R(Q, "经济效益指标", "促进村集体经济发展", "95", "≥", 95, "%"),
   R(P, "数量指标", "村组干部230人", "230", "≥", 230, "个"),
   R(Q, "生态效益指标", "保护生态环境卫生", "95", "≥", 95, "%"),
   R(Q, "可持续影响指标", "项目维持时效", "95", "≥", 95, "%"),
   R(M, "服务对象满意度指标", "人民群众满意度", "95", "≥", 95, "%"),
   R(M, "服务对象满意度指标", "辖区内群众满意度", "95", "≥", 95, "%"),
   R(Q, "经济效益指标", "促进农村集体经济发展", "95", "≥", 95, "%"),
   R(Q, "可持续影响指标", "经济、环境等方面可持续发展", "95", "≥", 95, "%"),
   R(P, "质量指标", "保障村社区正常运转", "95", "≥", 95, "%"),
   R(P, "数量指标", "行政村数量", "11", "=", 11, "个")],
  [],
  "Pipe text of a township's 部门预算项目绩效目标申报表 that lists SEVERAL PROJECTS in one table (金额单位:元). "
  "Columns: 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性. "
  "The first row of each project carries the unit/project/budget/goal cells; the unit cell is absent on the second project's first row "
  "and later rows carry only 一级..指标方向性 (rowspan left-shift of 4 or 3 cells). A department subtotal row '820-马踏镇部门 | 8,827,620.53' "
  "is not data. Indicator rows are in system order, not grouped by 一级 (效益 before 产出). Same convention as lincang: value_raw = 指标值 cell, "
  "op from 指标性质 ('≥', '='), unit from 度量单位 (the scorer also accepts the composed '≥95%'). The 权重 cell (10/20) is a weight, not a value. "
  "'村组干部230人' is the 三级 name as written (value 230, unit 个). Rows of BOTH projects are listed (村组干部报酬: 8 rows; 基层组织活动经费: 5 rows); "
  "the excerpt stops after the 权重 cell of 行政村数量 (value and unit complete, so it is a full row). "
  "Header fields: project_name/funds are those of the first project (预算数 3,309,840.00 元; no fiscal/other split written); "
  "the second project is 基层组织活动经费 660,000.00 元. budget_unit = 单位名称 without its '820001-' code.")

# 2 ---------------------------------------------------------------------------------------------
P5, Q3, M1 = "产出指标", "效益指标", "满意度指标"
F("anhui-suixi-2019-ziping-linshi-jiuzhu-bar-lines-hints.md", "自评", True, 2019,
  "濉溪县民政局", "临时救助", funds(30, 30, None),
  [R(P5, "数量指标", "★★★农村低保发放人数(按月平均)(≥**人)", ">=21933人", "≥", 21933, "人"),
   R(P5, "数量指标", "★★★其中:农村低保对象中建档立卡贫困人口数量(按月平均)(≥**人)", ">=9431人", "≥", 9431, "人"),
   R(P5, "数量指标", "★★★建档立卡贫困人口中接受临时救助的人次数(≥**人次)", ">=59人次", "≥", 59, "人次"),
   R(P5, "数量指标", "★★★特困人员救助供养人数(按月平均)(≥**人)", ">=4754人", "≥", 4754, "人"),
   R(P5, "数量指标", "扶贫临时救助人数(按月平均)(≥**人)", ">=7人", "≥", 7, "人"),
   R(P5, "质量指标", "★农村低保标准(≥**元/人·月)", ">=530元/人*月", "≥", 530, "元/人*月"),
   R(P5, "质量指标", "农村特困人员救助供养基本生活标准(≥**元/人·月)", ">=570元/人*月", "≥", 570, "元/人*月"),
   R(P5, "质量指标", "扶贫临时救助标准(<**元/户·年)——一户年最高5300元", "<=5300元/户", "≤", 5300, "元/户"),
   R(Q3, "社会效益指标", "★★★受益建档立卡贫困人口数≥**人", ">=80人", "≥", 80, "人")],
  ["★受助对象满意度(≥**%)"],
  "自评 table as PDF/HTML text with each cell on its own line ending in ' |' and lone '|' / '||' lines for empty cells and row breaks. "
  "Columns: 一级 | 二级 | 三级 | 分值 | 年度指标值 | 全年实际值 | 得分 | 未完成原因. value_raw = 年度指标值 (NOT 全年实际值: 21980人, 583元/人*月 ...); "
  "the 分值 cell (5/10/30) sits BEFORE the value. Values use ASCII '>=' / '<=' (op ≥ / ≤). 三级 names keep the ★/★★★ core marks (the scorer ignores them) "
  "and the template hints '(≥**人)', '(<**元/户·年)——一户年最高5300元' as written (the hint is part of the cell). '其中:' sub-row kept as its own row. "
  "'元/人*月' unit kept as written. 一级 labels carry scores ('产出指标(50分)' -> 产出指标). "
  "The excerpt stops at '>=9' in the 受助对象满意度 row (value cut: optional). "
  "Funds: 年度资金总额 全年预算数 30 / 执行数 30; 本年财政拨款 30; 其他资金 blank -> null. budget_unit = 主管部门 without its '[155]' code.")

# 3 ---------------------------------------------------------------------------------------------
F("hunan-hengyang-nanyue-2018-fupin-lvyou-space-ascii-op.txt", "申报", True, 2018,
  "南岳镇政府", "2018年市级专项扶贫资金基础设施(人大代表扶贫基地)", funds(10, 10, 0),
  [R("产出指标", "数量指标", "贫困地区旅游基础设施建设工程", ">=20平方米", "≥", 20, "平方米"),
   R("产出指标", "数量指标", "贫困地区旅游景点开发数量( ≥**个 )", ">=4个", "≥", 4, "个"),
   R("产出指标", "数量指标", "流转土地", ">=60亩", "≥", 60, "亩"),
   R("产出指标", "质量指标", "*贫困地区旅游基础设施建设质量达标率100%", ">=98%", "≥", 98, "%"),
   R("产出指标", "时效指标", "贫困地区基础设施建设按期完成率(≥**%)", ">=95%", "≥", 95, "%"),
   R("产出指标", "成本指标", "流转土地补助标准", "<=475元/亩", "≤", 475, "元/亩"),
   R("产出指标", "成本指标", "景观建设成本", "<=2875元/个", "≤", 2875, "元/个"),
   R("产出指标", "成本指标", "贫困地区旅游基础设施建设工程建设成本", "<=3000元/平方米", "≤", 3000, "元/平方米"),
   R("效益指标", "经济效益指标", "乡村旅游带动增加贫困村收入(≥**万元)", ">=6万元", "≥", 6, "万元"),
   R("效益指标", "经济效益指标", "乡村旅游带动增加贫困人口收入(≥**万元)", ">=2.61万元", "≥", 2.61, "万元"),
   R("效益指标", "社会效益指标", "贫困地区乡村旅游开发景点接待游客数量(≥**人)", ">=60000人", "≥", 60000, "人"),
   R("效益指标", "社会效益指标", "受益建档立卡贫困人口数≥**人", ">=29人", "≥", 29, "人"),
   R("满意度指标", "服务对象满意度指标", "旅游行业经营主体满意度(≥**%)", ">=90%", "≥", 90, "%"),
   R("满意度指标", "服务对象满意度指标", "参与旅游扶贫项目贫困群众满意度(≥**%)", ">=90%", "≥", 90, "%"),
   R("满意度指标", "服务对象满意度指标", "旅游区居民满意度(≥**%)", ">=90%", "≥", 90, "%"),
   R("满意度指标", "服务对象满意度指标", "游客满意度(≥**%)", ">=90%", "≥", 90, "%")],
  [],
  "One table row per line, cells separated by single spaces; every indicator line ends in two trailing blanks (备注 column, empty). "
  "Rowspanned 一级/二级 appear only on the first row of a group. Values use ASCII '>=' / '<=' (op ≥ / ≤). Template hints stay inside the 三级 names "
  "('(≥**万元)', '≥**人', and '( ≥**个 )' WITH inner spaces: a naive single-space split breaks that one name into 3 cells; the row is still certain: "
  "name = '贫困地区旅游景点开发数量( ≥**个 )', value '>=4个'). '*贫困地区旅游基础设施建设质量达标率100%' is one 三级 cell (leading '*' and the "
  "template '100%' are part of the name); its value is '>=98%'. The 财政部门/扶贫办 审核意见 lines are not data. Year: title says 2018 (outside 2019-2025). "
  "Funds: 年度资金总额 10, 财政拨款 10, 其他资金 0. budget_unit = 主管部门 (南岳镇政府); 实施单位 is '[610001]湖南省润山润水生态农业发展有限公司'. "
  "The 项目负责人 name/phone are replaced by [姓名][电话].")

# 4 ---------------------------------------------------------------------------------------------
F("shaanxi-qingjian-2021-fupin-guoyuanlu-bar-lines.md", "申报", True, 2021,
  "清涧县交通运输局", "2021年交通局寨山石坪、鲍家沟果园路", funds(500, 500, None),
  [R("产出指标", "数量指标", "寨山石坪村新建水泥路1条", "2km", None, 2, "km"),
   R("产出指标", "数量指标", "呼家河至鲍家沟新建水泥路1条", "2km", None, 2, "km"),
   R("产出指标", "质量指标", "项目(工程)验收合格率", "100%", None, 100, "%"),
   R("产出指标", "时效指标", "项目(工程)完成及时率", "100%", None, 100, "%"),
   R("产出指标", "成本指标", "硬化水泥砼公路补助标准", "≤120万元", "≤", 120, "万元")],
  [],
  "A 财政局 allocation notice (prose) followed by the 绩效目标申报表 as text with each cell on its own line ending in ' |' and '|||…' lines "
  "for colspan residue / row ends. Columns: 一级 | 二级 | 三级 | 指标值. Rowspanned 一级/二级 appear only on the first row of a group. "
  "Left labels are cut to one character by the layout ('总 |' = 总体目标, '绩 |' = 绩效指标). '2km' (unit km). The excerpt stops at "
  "'效益指标 | 经济效益' (no 三级 yet, nothing optional). Funds: 年度资金总额 500, 其中:财政拨款 500, 其他资金 blank (null); the unit (万元) is "
  "not written in the table, taken from the notice ('产业建设资金500万元'). budget_unit = 主管部门 (实施单位 is the same). "
  "项目负责人 name/phone replaced by [姓名][电话].")

# 5 ---------------------------------------------------------------------------------------------
F("shaanxi-baoji-chencang-2020-shuili-unfilled-unit-only.txt", "申报", True, 2020,
  "陈仓区水利局", "农村饮水安全巩固提升工程专项", funds(None, 500, None),
  [],
  ["指标1:新建堤防、护岸长度", "指标2:灌区节水改造面积", "指标3:农村饮水工程覆盖服务人口数",
   "指标4:中小河流治理问道长度", "指标1:工程验收合格率"],
  "A 财政局 allocation notice with the attached 省级财政水利发展资金绩效目标表 as one cell per paragraph (blank lines between). "
  "The indicator part is an UNFILLED TEMPLATE: every 指标值 cell holds only a unit or a bare sign ('公里', '万亩', '万人', '公里', '≧ %') and no number. "
  "So there is no indicator value on this page: indicators = [] and the five names are optional (a converter may list them, but a value such as "
  "'公里' or '≧ %' would be meaningless; the right outcome is no row or a diagnostic that the values are blank). The names keep their "
  "template numbers '指标1:' (the scorer ignores them). The excerpt stops after the first 质量指标 row. "
  "Funds: the grid reads 资金来源 | 资金总额 | 其中:财政拨款 500 | 其他资金 (blank); the notice text says 500万元 in total, but the 资金总额 cell itself "
  "is empty in the layout, so total = null, fiscal = 500. budget_unit = 区级主管部门.")

# 6 ---------------------------------------------------------------------------------------------
F("hunan-xiangtan-2024-wupaoche-paragraph-cells-bare-values.txt", "申报", True, 2024,
  "湘潭市城市管理和综合执法局", "雾炮车抑尘降尘服务", funds(250, 250, 0),
  [R("产出指标", "数量指标", "雾炮车抑尘降尘服务配备车辆数", "10", None, 10, None),
   R("产出指标", "数量指标", "雾炮车风炮射程", "80M", None, 80, "M"),
   R("产出指标", "质量指标", "服务周期内空气质量", "优良", None, None, None),
   R("产出指标", "时效指标", "服务周期", "180", None, 180, None),
   R("产出指标", "成本指标", "控制在预算成本内", "控制在预算内", None, None, None),
   R("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "85%", None, 85, "%"),
   R("效益指标", "服务对象满意度指标", "满意度", "90%", None, 90, "%")],
  [],
  "2024 version of the Xiangtan fog-cannon project (the 2023 申报表 is already in the held-out set; this is a different table, year, URL and layout). "
  "One cell per paragraph with blank lines between. Columns: 一级 | 二级 | 三级 | 指标值 | 绩效标准; '计划标准' is the 绩效标准 column, not part of the value. "
  "Values are bare ('10', '180': no unit written; '80M'; '控制在预算内' qualitative). Empty groups 经济效益指标 / 生态效益指标 / '可持续影响\\n\\n指标' "
  "have three ' ' cells each (no rows). '服务对象满意度指标 | 满意度 | 90%' follows the 效益 groups with no new 一级 cell, i.e. it is an 二级 under "
  "效益指标 (same reading as the 2023 table). The header has odd dates ('20246-202516', '20246', ' 20251'). Excerpt ends in 其他需说明的问题/主管. "
  "Funds: 资金总额 250; 一、预算资金 250; 二、自有资金 0; 三、其他 0 -> total 250, fiscal 250, other 0. budget_unit = 主管部门及其编码 without the code "
  "(实施单位 湘潭市环境卫生管理处). 项目负责人 name and phone replaced by [姓名] / [电话].")

# 7 ---------------------------------------------------------------------------------------------
F("mirror-unknown-2020-kangyi-guozhai-huanwei-pipe-no-leading.md", "申报", True, 2020,
  "狗万客户端城市管理委员", "疫情期间区域病媒防治环境卫生清洁等费用", funds(5652, None, None),
  [R("产出指标", "数量指标", "清扫保洁道路面积", "1346.0088万平方米", None, 1346.0088, "万平方米"),
   R("产出指标", "数量指标", "清扫保洁道路条数", "485条", None, 485, "条"),
   R("产出指标", "数量指标", "生活垃圾运输车辆", "283辆", None, 283, "辆"),
   R("产出指标", "质量指标", "垃圾无害化处理率", "100%", None, 100, "%"),
   R("产出指标", "时效指标", "城市道路以克论净量化考核", "1次/月", None, 1, "次/月"),
   R("产出指标", "时效指标", "环境卫生专项考核", "1次/月", None, 1, "次/月"),
   R("产出指标", "时效指标", "各项费用使用周期", "2020年1月--2020年11月", None, None, None,
     alt=[{"number": 2020, "unit": "年1月--2020年11月"}]),
   R("产出指标", "成本指标", "人工成本", "≤620万/月", "≤", 620, "万/月", alt=[{"unit": "万元/月"}]),
   R("效益指标", "社会效益指标", "清扫保洁覆盖率", "≥99%", "≥", 99, "%"),
   R("效益指标", "可持续影响指标", "保障期限", "2020年1月--2020年11月", None, None, None,
     alt=[{"number": 2020, "unit": "年1月--2020年11月"}]),
   R("满意度指标", "服务对象满意度指标", "周围群众满意度", "≥90%", "≥", 90, "%")],
  [],
  "A spam mirror of a (probably Shenzhen) district 城管 page: the place name is replaced everywhere by the spam string '狗万客户端' and the domain is "
  "unrelated, so place is unknown; the table itself is intact. 抗疫特别国债项目绩效目标表(打捆项目), 2020. Pipe rows WITHOUT a leading '|', trailing "
  "'| ||' colspan residue; rowspanned 一级/二级 appear only on the first row of a group (continuation rows left-shifted). Letter-spaced labels are "
  "filled with '?' runs ('绩?????????? 效?????????? 目???????? 标' = 绩效目标; the 绩效指标 label likewise) - junk, not data. Values: '1346.0088万平方米', "
  "'1次/月' (frequency: number 1, unit 次/月), '≤620万/月' ('万' shorthand for 万元: alt unit 万元/月), two period values '2020年1月--2020年11月' "
  "(qualitative; mechanical parse via alt). Funds: 项目预算金额(万元) 5652 -> total; no fiscal/other split. budget_unit = 主管预算部门 as written "
  "(spam-mangled).")

# 8 ---------------------------------------------------------------------------------------------
F("hunan-yueyanglou-2023-zhengti-jiage-renzheng-trad-pinyin-mirror.md", "整体", False, 2023,
  "岳陽樓區(qū)價(jià)格認(rèn)證鑒定中心", None, None,
  [R(None, None, "業(yè)務(wù)工作支出安排金額", "28.8萬元", None, 28.8, "萬元", alt=[{"unit": "%"}, {"unit": "万元"}]),
   R(None, None, "業(yè)務(wù)工作支出到位率", "100", None, 100, "%"),
   R(None, None, "工作安排時(shí)間", "按月安排", None, None, None),
   R(None, None, "社會(huì)成本指標(biāo)", "100", None, 100, "%"),
   R(None, None, "保證單位正常運(yùn)轉(zhuǎn)", "應(yīng)保盡保", None, None, None, alt=[{"unit": "%"}])],
  [],
  "A mirror site re-served a Hunan 岳阳楼区 部门整体绩效目标表 converted to TRADITIONAL characters with pinyin glosses inserted after many characters "
  "('績效目標(biāo)', '產(chǎn)出指標(biāo)', '業(yè)務(wù)'). The pipe grid is intact (columns 一级 | 二级 | 三级 | 指標值類型 (定量/定性) | *指標值 | 計量單位 | "
  "*指標解釋 | *評(扣)分標準 | 備注; rowspan left-shift), but every label is garbled, so the page is NOT recoverable as data; rows are listed "
  "with level3/value exactly as written and level1/level2 null (any label, garbled or restored, is accepted). Certain rows only: "
  "'28.8萬元' sits in *指標值 while 計量單位 says '%' (contradiction; unit 萬元 as written, alt '%' / 万元); '100' + '%' rows; "
  "'按月安排' has NO 計量單位 cell (the row is one cell shorter, so a column-position reader would take the 指標解釋 text as unit); "
  "'成本指標 | 社會成本指標' is 二级 | 三级 (the 三级 is literally '社會成本指標'); '應保盡保' is 定性 with a stray '%' unit (alt). "
  "'經濟效益指標' row has no 三级/value (not a row). 指標值類型 '定量/定性' is not an operator (op null). Excerpt stops at '生態'. No funds in the excerpt.")

# 9 ---------------------------------------------------------------------------------------------
F("sichuan-zhongjiang-2022-ziping-shuibiaochi-glued-score-first.txt", "自评", False, 2022,
  "中江县水利局", "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装", funds(20, 20, None),
  [R("产出指标", "数量指标", "安装坡面水标尺", "≥266米", "≥", 266, "米"),
   R("产出指标", "数量指标", "水标尺宽度", "≥50厘米", "≥", 50, "厘米"),
   R("产出指标", "质量指标", "项目(工程)验收合格率", "100%", None, 100, "%"),
   R("产出指标", "时效指标", "及时(按期)开工率", "≥90%", "≥", 90, "%"),
   R("产出指标", "时效指标", "及时(按期)完工率", "≥90%", "≥", 90, "%"),
   R("产出指标", "成本指标", "项目计划总投资", "20万元", None, 20, "万元"),
   R("效益指标", "社会效益指标", "受益脱贫(含监测对象)户人口数", "≥1000人", "≥", 1000, "人"),
   R("效益指标", "社会效益指标", "群众生产生活条件改善状况", "显著提升", None, None, None),
   R("满意度指标", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", "≥95%", "≥", 95, "%")],
  [],
  "Whole 自评表 glued into ONE line with no separators (a news-aggregator re-post). Column order 三级 | 分值 | 年度指标值 | 全年实际值 | 得分, so each row "
  "reads name+score+target+actual+score: '安装坡面水标尺10≥266米≥266米10', '项目(工程)验收合格率20100%100%20', '项目计划总投资1020万元20万元10'. "
  "The split is certain only because the two scores are equal and the target equals the actual on every row (and the scores sum to 100); "
  "a generic splitter cannot know where '20100%' breaks. value = 年度指标值. 经济效益指标 is an empty group; '……' placeholder row. "
  "一级 labels with scores ('产出指标(70分)'). Funds: 年度资金总额 '202010100.00%10' = 20 | 20 | 10 | 100.00% | 10 -> total 20; 本年财政拨款 '2020' -> 20. "
  "budget_unit = 实施单位. Names/phones replaced by [姓名]/[电话].")

# 10 --------------------------------------------------------------------------------------------
F("hunan-hengshan-2020-ziping-chubeiliang-docx-glued.txt", "自评", False, 2020,
  "衡山县商务和粮食局", "县级储备粮", funds(194.9, 194.9, None),
  [R("产出指标", "数量指标", "5000吨稻谷、500吨成品粮储备到位率", "100%", None, 100, "%"),
   R("产出指标", "数量指标", "库存数量真实率", "100%", None, 100, "%"),
   R("产出指标", "质量指标", "县级储备粮管理制度严格执行率", "100%", None, 100, "%"),
   R("产出指标", "质量指标", "储备粮管理专户管理率", "100%", None, 100, "%"),
   R("产出指标", "质量指标", "县级储备粮库存粮食明显变质比例", "0", None, 0, None),
   R("产出指标", "时效指标", "县级储备粮贷款付息及时率", "100%", None, 100, "%"),
   R("产出指标", "时效指标", "县级储备粮应急保障率", "100%", None, 100, "%"),
   R("产出指标", "成本指标", "国家政策性粮收购价格执行率", "100%", None, 100, "%"),
   R("产出指标", "成本指标", "县级储备粮库存成本核算率", "100%", None, 100, "%"),
   R("效益指标", "经济效益指标", "利息费用保障率", "100%", None, 100, "%"),
   R("效益指标", "经济效益指标", "政策性挂账利息补贴保障率", "100%", None, 100, "%"),
   R("效益指标", "生态效益指标", "低温、低氧、低剂量科学保粮率", "100%", None, 100, "%"),
   R("效益指标", "生态效益指标", "食品安全指标达标率", "100%", None, 100, "%"),
   R("效益指标", "可持续影响指标", "粮食储备设备维护及安全性", "高", None, None, None),
   R("满意度指标", "服务对象满意度指标", "因粮食市场波动引起的粮食安全事件发生数", "0起", None, 0, "起")],
  ["市民满意度调查"],
  "A .docx 自评表 re-hosted on a document-sharing site: cells glued with no separators, wrapped cell text keeps a space ('成 品粮', '管理制 度', "
  "'产 出 指 标', '数量 指标'), and the site's page markers '2、' / '3、' are inserted mid-table, even between a target and its actual value "
  "('库存数量真实率100%\\n2、100%', '安全性\\n3、高高'). Columns: 三级 | 年度指标值 | 全年完成值 | 未完成原因. level3 = the name with the wrap spaces removed. "
  "Values certain because target and actual are equal (or the actual is '无' with a reason: 政策性挂账利息补贴保障率 100% / 无 / 没有轮换、动用库存). "
  "'比例00' = 0 / 0 (written without unit). The header block is repeated at the page join ('绩效 指标效 益 指 标' before 生态效益指标). "
  "'市民满意度调查290%100%' is left out (the target '290%' is a garbled '≥90%', like ezhou's '292%'): optional. "
  "Funds: 年度资金总额 194.9 | 194.9 | 100%; 其中:中央、省、市补助县级资金 194.9 (fiscal). 负责人 names replaced by [姓名].")

# 11 --------------------------------------------------------------------------------------------
F("hubei-wuhan-xinzhou-2020-ziping-chujutuan-docx-ocr-glued.txt", "自评", False, 2020,
  "新洲区楚剧团", "演出设备更新专项经费", funds(30, 30, None),
  [R("产出指标", "数量指标", "更新剧团老化、损坏的音", "50件", None, 50, "件"),
   R("产出指标", "质量指标", "音响、灯光、道具、服装质量等", "合格", None, None, None),
   R("满意度指标", "服务对象满意度指标", "演出人员满意度", "100%", None, 100, "%")],
  ["望新点胸艮必具", "演出设备成本件/件", "演出设备成本"],
  "A .docx with TWO project 自评表s (演出设备更新专项经费; 中青年演员培训经费, whose indicators are cut off) re-hosted as glued text with OCR damage and the "
  "site's page markers ('2、', '3、'). Columns: 三级 | 年度指标值 | 实际完成值 | 分值 | 得分. Certain rows only: '更新剧团老化、损坏的音50件50件2020' "
  "(the 三级 is cut mid-word in the source; listed as written); '音响、\\n2、灯光、道具、服装 质量等合格合格2020' (name split by the page marker '2、': "
  "level3 = the name without the marker and the wrap space; it does not occur verbatim); '演出人员满意度100%100%2020'. Left out (optional): the OCR-garbled "
  "name '望新点胸艮必具' (value 100件), and '演出设备成本件/件2万元2万元2018' (value 2万元, but it is unclear whether '件/件' belongs to the name). "
  "Template placeholders '指标1:' / '指标2:' with no content are not rows. Funds (project 1): '303010100%' and '303030100%' -> 30 total / 30 fiscal "
  "(one number of the total row is missing). budget_unit = 主管部门 as written (the 主管/实施 cells look swapped in the source).")

# 12 --------------------------------------------------------------------------------------------
F("gansu-jiayuguan-2023-shengji-bowuguan-ocr-glued-2021-framework.txt", "申报", False, 2023,
  "嘉峪关市文化和旅游局", "博物馆纪念馆市级免费开放补助资金", funds(20, None, 20),
  [R("产出指标", "数量指标", "免费开放天数", "=300天", "=", 300, "天"),
   R("产出指标", "质量指标", "博物馆绩效考核指标完成率", "=100百分比", "=", 100, "百分比", alt=[{"unit": "%"}]),
   R("效益指标", "社会效益指标", "免费开放接待观众人数", "=30000人次", "=", 30000, "人次")],
  ["各项工作完成及时率%", "各项工作完成及时率", "资金使用效率", "对当地文物保护、文化传承影响", "提升博物馆绿化水平",
   "服务对象满意度%", "服务对象满意度"],
  "OCR'd PDF of 甘肃 省级部门预算项目支出绩效目标表 (2021 framework: 成本指标 as 一级 with 经济/社会/生态环境成本指标), glued with no separators; "
  "columns 一级 | 二级 | 三级 | 指标目标值. Two projects; only the first has indicators in the excerpt. OCR noise: '一*级项目名称', '完成H期', "
  "'二100百分比' (= '=100百分比'), '为当地提供就业LJUI,冈位增加岗位'. Certain rows only (sign '=' marks the value start): 免费开放天数 =300天, "
  "博物馆绩效考核指标完成率 =100百分比 (unit written as the word 百分比; alt %), 免费开放接待观众人数 =30000人次. Left out (optional): '各项工作完成及时率%=99百分比' "
  "and '服务对象满意度%=99百分比' (unclear whether the '%' ends the name or starts the value), the OCR'd '资金使用效率二100百分比', and the qualitative "
  "rows where the name/value boundary is a guess ('…传承影响长远', '…绿化水平提升', '历史文化传承环保意识时限长远'). "
  "Funds: 项目总投资 20万元, 中央补助安排 0, 省级财政安排 0, 其他资金 20万元 -> total 20, other 20, fiscal null (not written as such). "
  "budget_unit = 项目主管部门 (实施单位 嘉峪关城市博物馆); project_name = 二级项目名称 (一级项目 文化事业发展专项资金).")

# 13 --------------------------------------------------------------------------------------------
F("anhui-chizhou-guichi-tangxi-2022-ziping-cunji-buzhu-xls-space-dump.txt", "自评", True, 2022,
  "池州市贵池区棠溪镇人民政府", "村级补助及运转经费", funds(None, 132.912, None),
  [R("产出指标", "数量指标", "补助村(社区)数量", "=8个", "=", 8, "个"),
   R("产出指标", "数量指标", "保障村干部人数", "=42个", "=", 42, "个"),
   R("产出指标", "质量指标", "补助资格合规性", "合规", None, None, None),
   R("产出指标", "质量指标", "经费审批流程规范性", "严格执行相关制度规定", None, None, None),
   R("产出指标", "时效指标", "补助经费到位及时性", "及时", None, None, None),
   R("产出指标", "成本指标", "项目总成本", "≤202.6万元", "≤", 202.6, "万元"),
   R("效益指标", "经济效益指标", "对保障村(社区)两委机构正常运行的影响程度", "效果明显", None, None, None),
   R("效益指标", "社会效益指标", "提高村(社区)干部工作积极性的影响程度", "效果明显", None, None, None)],
  [],
  "Sibling of the held-out anhui-chizhou-guichi-2022 file (same re-hosting site and .xls export, different document id 502367 and a different project: "
  "村级补助及运转经费). Whole .xls flattened to ONE line with single-space separators, document-property junk first (author name replaced by [姓名]), and "
  "a long run of dots in the goal text. Columns: 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 (empty). value = 年度指标值 "
  "('=8个', not the actual '8'; '≤202.6万元', not '132.9'); qualitative targets 合规/及时/效果明显 are followed by the actual '达成预期指标' and two scores. "
  "Scores in 一级 ('产出指标(50分)'). Excerpt stops at '可持续影响' (no 三级: nothing optional). "
  "Funds: 年度资金总额 row reads '0 0 0 10 0 0' (broken formula, total null); 本年财政拨款 年初 202.64 / 全年 132.912 / 执行 132.912 -> fiscal 132.912.")

# 14 --------------------------------------------------------------------------------------------
F("fujian-anxi-2022-shuili-per-township-value-cols.md", "申报", False, 2022,
  "安溪县水利局", "省级第七批水利专项资金", funds(100, 100, None),
  [R("产出指标", "数量指标", "开展小型水利工程建设(个)", "1", None, 1, None, alt=[{"unit": "个"}])],
  ["截"],
  "A 水利局 allocation notice with an allocation table and a 绩效目标表 whose value part has SEVEN value columns, one per township/village "
  "(西坪镇尧山村 | 桃舟乡吾培村 | … | 尚卿乡尤俊村) after a 指标解释 column; cells one per line ending in ' |'. The schema has one value per indicator, so "
  "the page is marked not recoverable: a converter should flag the multi-column layout (or emit one row per column). The only complete row has the "
  "same value '1' in all seven columns, so value '1' is certain (the unit is in the name '(个)'; alt unit 个). '反映小型水利工程建设项目开展情况' is the "
  "指标解释, not a value. Excerpt stops at '时效指标 | 截' (optional). Funds: 资金总额 100, 其中:财政拨款 100, 其他资金 blank. "
  "budget_unit = 主管部门(单位)名称.")

# 15 --------------------------------------------------------------------------------------------
S, Z = "数量指标", "质量指标"
F("hubei-huangshi-2022-pifu-dangxiao-centered-rowspan-label.md", "批复", True, 2022,
  "中共黄石市委党校", "主体班", funds(164, 132, None),
  [R("产出指标", S, "主体班培训人次", "280人次", None, 280, "人次"),
   R("产出指标", S, "邀请校外名师、领导授课人次", "25人次", None, 25, "人次"),
   R("产出指标", S, "情景教学或外训批次", "6次", None, 6, "次"),
   R("产出指标", S, "理论教育和党性教育课时比例", "70%", None, 70, "%"),
   R("产出指标", S, "开设课程数量", "220", None, 220, None),
   R("产出指标", Z, "培训完成率", "100%", None, 100, "%"),
   R("产出指标", Z, "邀请校外名师、领导授课完成率", "100%", None, 100, "%"),
   R("产出指标", Z, "情景教学或外训完成率", "100%", None, 100, "%"),
   R("产出指标", Z, "理论教育和党性教育课时比例完成率", "100%", None, 100, "%"),
   R("产出指标", Z, "课程数量达标率", "100%", None, 100, "%"),
   R("产出指标", "时效指标", "及时完成率", "100%", None, 100, "%"),
   R("产出指标", "成本指标", "成本控制率", "100%", None, 100, "%"),
   R("满意度指标", "服务对象满意度指标", "培训学员对培训效果满意度", "≥95%", "≥", 95, "%")],
  [],
  "项目支出绩效目标批复表 (市财政局) as pipe text with colspan residue. Header: 绩效指标 | 一级 | 二级 | 三级 | 指标值 | 指标标准或依据, and a second header "
  "row splitting 指标值 into '2021年实际实现值 | 预期2022年实现值'. Only one value per row is filled; it is the 2022 expected value (it matches the "
  "年度绩效目标 text: 280人次, 25人次, 6批次, 220门), the 2021 cell is empty. KEY QUIRK: the 一级 label '产出指标' is NOT on the first row of its group but "
  "on the 5th ('产出指标 | 开设课程数量 | 220'), i.e. the merged cell's text was exported at its vertical middle; that row's 二级 is still 数量指标 "
  "(continuing), and all 12 rows from 主体班培训人次 to 成本控制率 belong to 产出指标. A reader that takes '产出指标' as that row's 二级 gets level2 wrong "
  "(partial). '220' has no unit. There is no 效益指标 group. The 财政…科室(盖章) footer is not data. "
  "Funds: 项目金额 164万元 (total), 其中:当年市级财政资金 132万元 (fiscal); other not written (null). 项目主管部门 is blank; budget_unit = 实施单位.")

# 16 --------------------------------------------------------------------------------------------
F("tianjin-baodi-2022-zhongyang-touzi-chuqin-fenwu-shifted-levels.md", "批复", True, 2022,
  "宝坻区人民政府", "农业绿色发展专项 (畜禽粪污资源化利用整县推进项目)", funds(2350, 2350, None),
  [R("实施效果指标", "产出指标", "建设项目个数(含续建)", "1", None, 1, None),
   R("实施效果指标", "产出指标", "竣工验收合格率", "100%", None, 100, "%"),
   R("实施效果指标", "产出指标", "按进度计划实施情况", "按计划实施", None, None, None),
   R("实施效果指标", "效益指标", "完工项目县畜禽粪污综合利用率", "≥90%", "≥", 90, "%")],
  ["完工项目县规模养殖场畜禽粪污处理"],
  "A district 财政局 notice passing down the central 中央预算内投资计划绩效目标表 (发改 style). Cells one per line ending in ' |', with '| ||' residue. "
  "The levels are SHIFTED relative to the usual tree: 一级 = '实施效果指标', 二级 = '产出指标' / '效益指标', 三级 = the indicator (kept as written; a "
  "converter that forces 产出指标 into level1 scores partial). Rowspanned 一级/二级 appear only on the first row of a group. '1' has no unit; "
  "'按计划实施' is qualitative. The excerpt stops in the name '完工项目县规模养殖场畜禽粪污处理' (no value: optional). "
  "Funds: 下达中央预算内投资(万元) 2350 -> total = fiscal = 2350. budget_unit = 下达地方或单位; project_name = 专项名称 as written (with its space). "
  "The host (tyc-yl.com) mirrors a 天津宝坻区 government page path (zwgk/ysgk/czjzxzj).")

for d in FILES:
    with open(os.path.join(OUT, os.path.splitext(d["file"])[0] + ".json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
        f.write("\n")
print(len(FILES), "files,", sum(len(d["indicators"]) for d in FILES), "rows")
