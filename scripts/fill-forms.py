#!/usr/bin/env python3
"""Fills the per-unit forms of `zwgk template --per-unit` with the values of
a submissions.csv (unit id, indicator, value), as a clerk would type them:
ratios and plain numbers as number cells, dates as Excel serial numbers,
the rest as text. For benchmarks of `zwgk collect` at province scale.

    scripts/fill-forms.py FORMS_DIR SUBMISSIONS_CSV OUT_DIR
"""
import csv, datetime, decimal, os, re, sys, zipfile
from concurrent.futures import ProcessPoolExecutor

def typed(value):
    v = value.strip()
    if v.endswith('%'):
        return 'n', str(decimal.Decimal(v[:-1]) / 100)
    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', v):
        d = datetime.date.fromisoformat(v) - datetime.date(1899, 12, 30)
        return 'n', str(d.days)
    try:
        float(v)
        return 'n', v
    except ValueError:
        return 't', v

def fill(job):
    src, dst, values = job
    z = zipfile.ZipFile(src)
    sst = re.findall(r'<si><t[^>]*>(.*?)</t></si>', z.read('xl/sharedStrings.xml').decode(), re.S)
    out = zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED)
    for info in z.infolist():
        data = z.read(info.filename)
        if info.filename == 'xl/worksheets/sheet1.xml':
            x = data.decode()
            for r, s in re.findall(r'<c r="B(\d+)" s="\d+" t="s"><v>(\d+)</v></c>', x):
                if int(r) < 6 or sst[int(s)] not in values:
                    continue
                kind, v = typed(values[sst[int(s)]])
                m = re.search(r'<c r="F%s"( s="\d+")?/>' % r, x)
                st = m.group(1) or ''
                new = (f'<c r="F{r}"{st}><v>{v}</v></c>' if kind == 'n'
                       else f'<c r="F{r}"{st} t="inlineStr"><is><t>{v}</t></is></c>')
                x = x[:m.start()] + new + x[m.end():]
            data = x.encode()
        out.writestr(info, data)
    out.close()

def main():
    forms, subs, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    values = {}
    with open(subs, encoding='utf-8-sig') as f:
        for row in csv.reader(f):
            if row[0] != '单位':
                values.setdefault(row[0], {})[row[1]] = row[2]
    jobs = [(os.path.join(forms, n), os.path.join(out, 'returned-' + n), values.get(n[:-5], {}))
            for n in sorted(os.listdir(forms)) if n.endswith('.xlsx')]
    with ProcessPoolExecutor() as ex:
        list(ex.map(fill, jobs, chunksize=200))

main()
