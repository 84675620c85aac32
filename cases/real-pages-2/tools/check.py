import json, glob, os, re, unicodedata
ok = True
for jf in sorted(glob.glob('expected/*.json')):
    d = json.load(open(jf, encoding='utf-8'))
    src = open(d['file'], encoding='utf-8').read()
    flat = re.sub(r'\s+', '', src)
    # document-site page markers ('\n2、') split a cell in one file; also accept a match with them removed
    flat += '\x00' + re.sub(r'\s+', '', re.sub(r'\n\d、', '', src))
    for key in ('file','kind','recoverable','year','budget_unit','project_name','funds','indicators','optional_rows','notes'):
        assert key in d, (jf, key)
    probs = []
    for r in d['indicators']:
        for k in ('level3', 'value_raw'):
            v = re.sub(r'\s+', '', r[k])
            if v not in flat:
                probs.append((k, r[k]))
        for k in ('level1','level2'):
            if r[k] is not None and re.sub(r'\s+','',r[k]) not in flat:
                probs.append((k, r[k]))
        if r['number'] is not None:
            s = re.sub(r'\s+','',r['value_raw'])
            m = re.match(r'^(>=|<=|[≥≤=＝≧≦<>])?(\d+(?:\.\d+)?)(.*)$', s)
            if not m or float(m.group(2)) != float(r['number']):
                probs.append(('number', r['value_raw'], r['number']))
            elif (m.group(3) or None) != r['unit'] and not (r['unit'] and not m.group(3)):
                probs.append(('unit', r['value_raw'], r['unit']))
    for o in d['optional_rows']:
        if re.sub(r'\s+','',o) not in flat: probs.append(('optional', o))
    if d['project_name'] and re.sub(r'\s+','',d['project_name']) not in flat: probs.append(('project_name', d['project_name']))
    if d['budget_unit'] and re.sub(r'\s+','',d['budget_unit']) not in flat: probs.append(('budget_unit', d['budget_unit']))
    print('%-75s rows=%2d opt=%d rec=%s %s' % (os.path.basename(jf), len(d['indicators']), len(d['optional_rows']), d['recoverable'], 'OK' if not probs else ''))
    for p in probs: print('    !!', p)
