#!/usr/bin/env python3
"""
A corpus of spreadsheets written by real spreadsheet software, for apps/api/test/corpus.test.ts (issue 12).

    make_corpus.py OUTDIR [--soffice PATH]

Writes the files into OUTDIR and prints a JSON manifest on stdout: for each upload the file, its kind, the
form fields to send and what the file was generated with (rows valid / invalid / not selected, names,
prices, sums), so the test asserts against what was generated, never against numbers copied by hand.
All data are synthetic (names of real varieties and regions, made-up companies' figures).

Who writes what:
- openpyxl (Debian's python3-openpyxl, 3.0.x) writes every string as an inline string (t="inlineStr": it
  has no shared-strings writer) and never a formula's result; with iso_dates=True it writes dates as ISO 8601
  text in cells of type d (<c t="d"><v>2022-11-01</v>). openpyxl 3.1 writes rich text (CellRichText) as an
  inline string of runs (<is><r>…</r><r>…</r></is>); with 3.0.x the same XML is written into its output.
- LibreOffice (soffice --headless --convert-to) recalculates formulas that have no result and saves their
  values, writes shared strings, CSV in UTF-8 and GB18030, and .xls. Each soffice run gets its own profile
  (-env:UserInstallation) and HOME, so runs side by side do not collide; two run at a time.
- Neither writes two things Excel does, so LibreOffice's output is rewritten to what Excel writes: a column of
  copied formulas as one shared formula (<f t="shared" ref=… si=…> then <f t="shared" si=…/>, the cached
  values kept), and rich text (a shared string of runs with their own fonts, as when part of a cell is bold).
- LibreOffice 7.4 (Debian 12) has no BOM option (CSV filter token 14 came with 7.6): the "UTF-8 with BOM"
  CSV, what Excel's "CSV UTF-8" saves, is LibreOffice's UTF-8 output with the BOM added when it has none.
Every file is checked after it is written (the strings inline, the formulas' cached values, the BOM, the
GB18030 bytes, the .xls signature), and the script fails when a check does not hold.
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.dimensions import ColumnDimension

try:  # openpyxl 3.1 and later: rich text, written as inline strings of runs
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
except ImportError:
    CellRichText = None

CSV_FILTER = 'Text - txt - csv (StarCalc)'
# separator ',', text delimiter '"', encoding, from line 1, -, default language, text quoted only when
# needed, (import only), cells as shown (dates as formatted, 1,234.50), results not formulas, spaces kept,
# every sheet to its own file (NAME-SHEET.csv: without it LibreOffice writes the first sheet, hidden or not)
CSV_OPTIONS = '44,34,{encoding},1,,0,false,true,true,false,false,-1'
UTF8 = 76  # rtl_TextEncoding numbers (LibreOffice's rtl/textenc.h)
GB18030 = 85

TITLE_FONT = Font(name='宋体', size=16, bold=True)
HEADER_FONT = Font(name='宋体', size=11, bold=True)
HEADER_FILL = PatternFill('solid', fgColor='FFD9E1F2')
BAND_FILL = PatternFill('solid', fgColor='FFF2F2F2')
SPACER_FILL = PatternFill('solid', fgColor='FFFFF2CC')
WRAP = Alignment(wrap_text=True, vertical='center')


def dec(value) -> str:
    """A Decimal as the plain text a database numeric compares equal to."""
    text = format(Decimal(value).normalize(), 'f')
    return text


def full_width(text: str) -> str:
    """Digits and punctuation as full-width forms (１２．５０, １００ml：２g), as Chinese input methods type them."""
    return ''.join(chr(ord(c) + 0xFEE0) if '!' <= c <= '~' and not c.isalpha() else c for c in text)


def title_rows(ws, title: str, note: str, width: int) -> None:
    """A merged title over the table and a merged note row under it, as published tables start."""
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = Alignment(horizontal='center')
    ws.row_dimensions[1].height = 30
    ws.append([note])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def header_row(ws, headers: list) -> int:
    ws.append(headers)
    row = ws.max_row
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row, col)
        if cell.value is not None:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
    return row


def height_only_row(ws, row: int) -> None:
    """A row with only a height and a row style: written as <row r=… ht=… customHeight="1" …></row>, no cells."""
    ws.row_dimensions[row].height = 6
    ws.row_dimensions[row].fill = SPACER_FILL


def styled_empty_row(ws, row: int, width: int) -> None:
    """A row with a height and a fill but no value (what formatting a band of the table leaves behind)."""
    ws.row_dimensions[row].height = 8
    for col in range(1, width + 1):
        ws.cell(row, col).fill = BAND_FILL


# ---------------------------------------------------------------------------------------------------------
# 中选结果 (batch-results)

BATCH_RESULTS_CODE = 'CORPUS-9'

# (generic as written, generic clean, form as written, form clean) per row group; rows: (spec, packaging,
# count per pack, company as written, company clean, unit price or None for a losing bid, ceiling)
RESULT_VARIETIES = [
    {
        'generic': '阿托伐他汀钙片', 'form': '口服常释剂型',
        'rows': [
            ('10mg', '7片/盒', 7, '北京嘉林药业股份有限公司', '0.1200', '1.50'),
            # pasted from the PDF: a space in the name, a line break in the form and in the company
            ('20mg', '7片/盒', 7, '北京嘉林药业\n股份有限公司', '0.2000', '2.60', {'generic': '阿托伐他汀 钙片', 'form': '口服常释\n剂型'}),
            ('20mg', '14片/盒', 14, '浙江 乐普药业股份有限公司', '0.2100', '2.60'),
            ('20mg', '7片/盒', 7, '丙制药有限公司', None, '2.60'),
        ],
    },
    {
        'generic': '苯磺酸氨氯地平片', 'form': '口服常释剂型', 'merged': True,
        'rows': [
            ('5mg', '28片/盒', 28, '浙江京新药业股份有限公司', '0.0600', '0.80'),
            ('5mg', '14片/盒', 14, '石药集团欧意药业有限公司', '0.0650', '0.80'),
            ('5mg', '28片/盒', 28, '丁药业有限公司', None, '0.80'),
        ],
    },
    {
        'generic': '注射用头孢曲松钠', 'form': '注射剂',
        'rows': [
            ('1g', '1瓶/盒', 1, '赛诺菲（杭州）制药有限公司', '1.8600', '12.00'),
            ('1g', '10瓶/盒', 10, '上海罗氏\n制药有限公司', '1.9500', '12.00', {'generic': '注射用 头孢曲松钠'}),
        ],
    },
    {
        'generic': '盐酸二甲双胍缓释片', 'form': '缓释控释剂型',
        'rows': [
            ('0.5g', '30片/盒', 30, '中美上海施贵宝制药有限公司', '0.0900', '0.60', {'form': '缓释控释\n剂型'}),
        ],
    },
    {
        'generic': '布洛芬混悬液', 'form': '口服液体剂', 'fullwidth': True,
        'rows': [
            ('100ml:2g', '1瓶/盒', 1, '上海强生制药有限公司', '12.5000', '38.00'),
            ('60ml:1.2g', '1瓶/盒', 1, '浙江 华海药业\n股份有限公司', '8.8000', '25.00'),
        ],
    },
    {
        'generic': '左氧氟沙星滴眼液', 'form': '滴眼剂', 'fullwidth': True,
        'rows': [
            ('5ml:24.4mg', '1支/盒', 1, '参天制药（中国）有限公司', '6.3000', '20.00'),
            ('5ml:15mg', '1支/盒', 1, '戊药业有限公司', None, '20.00'),
        ],
    },
]

RESULT_HEADERS = ['序号', '通用名', '剂型', '规格', '包装', None, '生产企业', '每盒数量', '每盒价格（元）', '中选价格（元/片）', '最高有效申报价（元/片）', '是否中选', '备注']
RESULT_WIDTH = len(RESULT_HEADERS)
COL = {h: i + 1 for i, h in enumerate(RESULT_HEADERS) if h}


def batch_results_workbook(formulas: bool, far_columns: bool):
    """
    The results table. `formulas`: the unit price of the first varieties is =ROUND(pack price / count, 4)
    (no cached value: LibreOffice computes it); `far_columns`: styled empty cells out to column XFD and a
    style on every column after the table (LibreOffice 7.4 keeps 1,024 columns, so not in its source).
    """
    wb = openpyxl.Workbook()
    catalogue = wb.active
    catalogue.title = '品种目录'
    catalogue.sheet_state = 'hidden'
    catalogue.append(['通用名', '剂型', '规格'])
    for v in RESULT_VARIETIES:
        for spec in sorted({r[0] for r in v['rows']}):
            catalogue.append([v['generic'], v['form'], spec])

    ws = wb.create_sheet('拟中选结果')
    wb.active = 1
    title_rows(ws, '第九批国家组织药品集中采购拟中选结果表', '注：价格为最小制剂单位价格（元）；本表数据为测试用合成数据。', RESULT_WIDTH)
    header_row(ws, RESULT_HEADERS)
    ws.column_dimensions['F'].width = 3  # the styled spacer column: a fill, never a value

    expected = {'valid': 0, 'invalid': 0, 'notSelected': 0, 'warnings': 0, 'varieties': [], 'companies': [], 'prices': []}
    formula_rows = []
    serial = 0
    row = ws.max_row
    for vi, variety in enumerate(RESULT_VARIETIES):
        first_row = row + 1
        serial += 1
        for ri, r in enumerate(variety['rows']):
            spec, packaging, count, company_written, price, ceiling = r[:6]
            pasted = r[6] if len(r) > 6 else {}
            row += 1
            merged_follow = variety.get('merged') and ri > 0
            fw = variety.get('fullwidth', False)
            values = {
                '序号': serial if ri == 0 else None,
                '通用名': None if merged_follow else pasted.get('generic', variety['generic']),
                '剂型': None if merged_follow else pasted.get('form', variety['form']),
                '规格': full_width(spec) if fw else spec,
                '包装': packaging,
                '生产企业': company_written,
                '每盒数量': count,
                '最高有效申报价（元/片）': full_width(f'{Decimal(ceiling):.2f}') if fw else float(ceiling),
                '是否中选': '是' if price is not None else '否',
            }
            if price is not None:
                pack_price = (Decimal(price) * count).quantize(Decimal('0.01'))
                # the unit price must come back exactly from the pack price
                assert (pack_price / count).quantize(Decimal('0.0001')) == Decimal(price)
                values['每盒价格（元）'] = full_width(f'{pack_price:.2f}') if fw else float(pack_price)
                if formulas and vi < 2 and ri < 3:
                    values['中选价格（元/片）'] = None  # written below as a formula
                    formula_rows.append(row)
                else:
                    values['中选价格（元/片）'] = full_width(f'{Decimal(price):.2f}') if fw else float(price)
                expected['valid'] += 1
                expected['prices'].append(dec(price))
                expected['companies'].append(re.sub(r'\s+', '', company_written))
            else:
                values['备注'] = '未中选'
                expected['notSelected'] += 1
            for header, value in values.items():
                if value is not None:
                    ws.cell(row, COL[header], value)
            for col in range(1, RESULT_WIDTH + 1):
                ws.cell(row, col).alignment = WRAP
            ws.cell(row, 6).fill = SPACER_FILL
            if row in formula_rows:
                letter = get_column_letter
                ws.cell(row, COL['中选价格（元/片）'], f"=ROUND({letter(COL['每盒价格（元）'])}{row}/{letter(COL['每盒数量'])}{row},4)")
                ws.cell(row, COL['中选价格（元/片）']).number_format = '0.0000'
            if far_columns:
                for col in (16381, 16382, 16383, 16384):  # XFA … XFD
                    ws.cell(row, col).fill = BAND_FILL
        if variety.get('merged'):
            ws.merge_cells(start_row=first_row, start_column=COL['通用名'], end_row=row, end_column=COL['通用名'])
            ws.merge_cells(start_row=first_row, start_column=COL['剂型'], end_row=row, end_column=COL['剂型'])
        expected['varieties'].append(variety['generic'])
        if vi == 1:
            # a thin spacer row: a height and a style, no cell (issue 12's first failure)
            row += 1
            height_only_row(ws, row)
        if vi == 2:
            # a band between groups of the table
            row += 1
            styled_empty_row(ws, row, RESULT_WIDTH)
    # what formatting below the table leaves: rows with only a height and a fill
    for _ in range(3):
        row += 1
        styled_empty_row(ws, row, RESULT_WIDTH)
        if far_columns:
            ws.cell(row, 16384).fill = BAND_FILL
    if far_columns:
        # every column after the table formatted (Excel writes <col min="14" max="16384" style=…>)
        dim = ColumnDimension(ws, index='N', width=9)
        dim.min, dim.max = RESULT_WIDTH + 1, 16384
        dim.fill = SPACER_FILL
        ws.column_dimensions['N'] = dim
    expected['companies'] = sorted(set(expected['companies']))
    expected['prices'].sort(key=Decimal)
    expected['products'] = expected['valid']
    return wb, expected, formula_rows


# ---------------------------------------------------------------------------------------------------------
# 落地执行 (implementations)

IMPLEMENTATION_BATCHES = ['CORPUS-7', 'CORPUS-8']
REGIONS = {
    '110000': ('北京市', '北京'), '120000': ('天津市', '天津'), '320000': ('江苏省', '江苏'), '420000': ('湖北省', '湖北'),
    '450000': ('广西壮族自治区', '广西'), '530000': ('云南省', '云南'), '650000': ('新疆维吾尔自治区', '新疆'),
    '660000': ('新疆生产建设兵团', '兵团'),
}
# (batch or None under a merged batch cell, regions as written, their codes, start, contract end, end as text?)
IMPLEMENTATION_ROWS = [
    ('CORPUS-7', '湖 北', ['420000'], dt.date(2022, 11, 1), dt.date(2024, 10, 31), False),
    (None, '云 南', ['530000'], dt.date(2022, 11, 8), dt.date(2024, 11, 7), False),
    (None, '新疆\n（含兵团）', ['650000', '660000'], dt.date(2022, 11, 15), dt.date(2024, 11, 14), True),
    ('CORPUS-8', '江苏', ['320000'], dt.date(2023, 3, 1), dt.date(2026, 2, 28), False),
    ('CORPUS-8', '北京、天津', ['110000', '120000'], dt.date(2023, 3, 20), dt.date(2026, 3, 19), False),
    ('CORPUS-8', '广 西', ['450000'], dt.date(2023, 4, 1), None, False),
]


def implementations_workbook(epoch_1904: bool):
    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = '落地执行'
    headers = ['序号', '批次', '省份', '执行日期', '协议期满日期', '备注']
    title_rows(ws, '国家组织药品集中采购中选结果落地执行情况表', '说明：省份名称自政策文件（PDF）复制；本表数据为测试用合成数据。', len(headers))
    header_row(ws, headers)
    expected_rows = []
    merge_from = None
    current = None
    for i, (batch, regions, codes, start, end, end_as_text) in enumerate(IMPLEMENTATION_ROWS, start=1):
        r = ws.max_row + 1
        ws.cell(r, 1, i)
        if batch:
            ws.cell(r, 2, batch)
        ws.cell(r, 3, regions).alignment = WRAP
        ws.cell(r, 4, start).number_format = 'yyyy-mm-dd'
        if end is not None:
            if end_as_text:
                ws.cell(r, 5, f'{end.year}年{end.month}月{end.day}日')
            else:
                ws.cell(r, 5, end).number_format = 'yyyy"年"m"月"d"日"'
        # the first batch's cell is merged over the rows below it
        if batch == 'CORPUS-7':
            merge_from = r
        current = batch if batch else current
        for code in codes:
            expected_rows.append({'batch': current, 'region': code, 'startOn': start.isoformat(), 'contractEndOn': end.isoformat() if end else None})
    ws.merge_cells(start_row=merge_from, start_column=2, end_row=merge_from + 2, end_column=2)
    expected_rows.sort(key=lambda x: (x['batch'], x['region']))
    expected = {'valid': len(IMPLEMENTATION_ROWS), 'invalid': 0, 'warnings': 0, 'implementations': expected_rows}
    return wb, expected


# ---------------------------------------------------------------------------------------------------------
# 月度采购 (purchases)

PURCHASE_REGION = '320000'
PURCHASE_PRODUCTS = [
    ('XC10AAA0210010101897', '阿托伐他汀钙片', '20mg', Decimal('0.20')),
    ('XC08CAA0180010102136', '苯磺酸氨氯地平片', '5mg', Decimal('0.06')),
    ('XJ01DDA0430040104581', '注射用头孢曲松钠', '1g', Decimal('1.86')),
    ('XA10BAA0270020202245', '盐酸二甲双胍缓释片', '0.5g', Decimal('0.09')),
    ('XM01AEB0050010203390', '布洛芬混悬液', '100ml:2g', Decimal('12.50')),
    ('XS01AEL0410010101277', '左氧氟沙星滴眼液', '5ml:24.4mg', Decimal('6.30')),
]
PURCHASE_INSTITUTIONS = [(f'JS{n:04d}', f'南京市第{n}人民医院' if n % 3 else f'苏州市中医医院第{n}分院') for n in range(1, 41)]
PURCHASE_MONTHS = [dt.date(2024, m, 1) for m in range(1, 13)]


def purchases_workbook(rng: random.Random):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '采购明细'
    headers = ['医疗机构编码', '医疗机构名称', '采购月份', '医保编码', '药品名称', '规格', '采购数量', '采购金额（元）']
    title_rows(ws, '2024年江苏省公立医疗机构集采药品月度采购明细', '数据来源：省药品集中采购平台（测试用合成数据）', len(headers))
    header_row(ws, headers)
    total = Decimal(0)
    total_amount = Decimal(0)
    by_month = {m.isoformat(): Decimal(0) for m in PURCHASE_MONTHS}
    n = 0
    for month in PURCHASE_MONTHS:
        for code, name in PURCHASE_INSTITUTIONS:
            for nhsa, product, spec, price in PURCHASE_PRODUCTS:
                quantity = Decimal(rng.randint(0, 6000))
                if rng.random() < 0.2:
                    quantity += Decimal('0.5')
                amount = (quantity * price).quantize(Decimal('0.01'))
                r = ws.max_row + 1
                # the month three ways: a date shown as a date, a date shown as 2024年3月, and text
                way = n % 3
                if way == 0:
                    ws.cell(r, 3, month).number_format = 'yyyy-mm-dd'
                elif way == 1:
                    ws.cell(r, 3, month).number_format = 'yyyy"年"m"月"'
                else:
                    ws.cell(r, 3, f'{month.year}年{month.month}月')
                ws.cell(r, 1, code)
                ws.cell(r, 2, name)
                ws.cell(r, 4, nhsa)
                ws.cell(r, 5, product)
                ws.cell(r, 6, spec)
                ws.cell(r, 7, int(quantity) if quantity == quantity.to_integral() else float(quantity))
                ws.cell(r, 8, float(amount)).number_format = '#,##0.00'
                total += quantity
                total_amount += amount
                by_month[month.isoformat()] += quantity
                n += 1
    expected = {
        'valid': n, 'invalid': 0, 'warnings': 0,
        'quantity': dec(total),
        'amount': dec(total_amount),
        'quantityByMonth': {k: dec(v) for k, v in by_month.items()},
    }
    return wb, expected


# ---------------------------------------------------------------------------------------------------------
# 4+7 试点 (the pilot's results table, laid out as published in December 2018)

PILOT_CODE = 'CORPUS-4PLUS7'
PILOT_HEADERS = ['序号', '品种名', '剂型', '规格', '采购数量（万片/万袋/万支）', '拟中选企业', '中选规格包装', '每盒价格', '最小规格价格', '企业近三年平均价（最小规格）', '降幅', '原研企业及市场占比', '备注']
# A strength listed with its quantity and no price: it follows the main strength's price (the pilot priced only that).
FOLLOWS = 'follows'
# The pilot's 25 selected varieties are the real ones (seeds/data/varieties.csv, as listed); strengths, prices,
# quantities and companies are synthetic. As published: 31 varieties tendered, 42 rows; 26 priced rows (each
# variety's main strength, one variety with a second priced strength), 8 strengths with a quantity and no
# price (three of them as the variety's first row, the company and price on the row below), and 6 failed
# tenders on 8 rows.
VARIETIES_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'seeds', 'data', 'varieties.csv')
PILOT_FAILED = ['流标示例甲片', '流标示例乙片', '流标示例丙胶囊', '流标示例丁片', '流标示例戊注射液', '流标示例己片']


def pilot_varieties(rng: random.Random) -> list:
    """(variety, form, [(spec, pack count, unit price or FOLLOWS or None, three-year average) …], company, originator)."""
    import csv
    with open(VARIETIES_CSV, encoding='utf-8') as f:
        selected = [(r['listed_as'], r['dosage_form_group']) for r in csv.DictReader(f) if 'D1-pilot' in r['batch_codes'].split(';')]
    check(len(selected) == 25, f'the pilot has 25 selected varieties in seeds/data/varieties.csv (found {len(selected)})')
    price = lambda: Decimal(rng.randint(5, 2000)) / 100
    out = []
    for i, (name, form) in enumerate(selected):
        unit = price()
        average = (unit * Decimal(rng.randint(150, 900)) / 100).quantize(Decimal('0.0001'))
        main = ('20mg*', 7, str(unit), str(average))
        if i in (0, 4, 9, 14, 19):  # the priced main strength first, the other below with a quantity only
            strengths = [main, ('10mg', 7, FOLLOWS, None)]
        elif i in (2, 7, 12):  # the unpriced strength first: the company and price on the row below
            strengths = [('10mg', 14, FOLLOWS, None), main]
        elif i == 3:  # two priced strengths
            strengths = [('10mg', 14, str((unit * Decimal('0.6')).quantize(Decimal('0.0001'))), str((average * Decimal('0.6')).quantize(Decimal('0.0001')))), main]
        else:
            strengths = [main]
        out.append((name, form, strengths, f'试点中选示例药业{i + 1:02d}有限公司', f'原研示例 {rng.randint(10, 70)}.{rng.randint(0, 9)}%'))
    for j, name in enumerate(PILOT_FAILED):
        strengths = [('5mg*', 12, None, None)] + ([('10mg', 12, None, None)] if j < 2 else [])
        out.insert(4 * j + 3, (name, '口服常释剂型', strengths, None, f'原研示例 {rng.randint(10, 70)}.{rng.randint(0, 9)}%'))
    return out


def pilot_workbook(rng: random.Random):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'Sheet1'
    title_rows(ws, '4+7城市药品集中采购拟中选结果表', '注：规格后标“*”的为主要规格；价格单位：元；未列价格的规格随主要规格定价。本表数据为测试用合成数据。', len(PILOT_HEADERS))
    header_row(ws, PILOT_HEADERS)
    expected = {'valid': 0, 'invalid': 0, 'notSelected': 0, 'warnings': 0, 'withoutPrice': 0, 'products': 0, 'varieties': [], 'failedVarieties': [],
                'companies': [], 'prices': [], 'specs': [], 'strengths': []}
    pilot = pilot_varieties(rng)
    for serial, (name, form, strengths, company, originator) in enumerate(pilot, start=1):
        first = ws.max_row + 1
        for i, (spec, count, unit, average) in enumerate(strengths):
            r = ws.max_row + 1
            if i == 0:
                ws.cell(r, 1, serial)
                ws.cell(r, 2, name)
            ws.cell(r, 3, form)
            ws.cell(r, 4, spec)
            ws.cell(r, 12, originator)
            # 采购数量 in 万 to two decimals: every strength of a selected variety, a failed one's main strength
            wan = Decimal(rng.randint(50_000, 3_000_000)) / 100
            if unit is not None or spec.endswith('*'):
                ws.cell(r, 5, float(wan))
            strength = {'variety': name, 'spec': spec.rstrip('*'), 'quantity': str(int(wan * 10_000)), 'isMainStrength': spec.endswith('*')}
            if unit is None:
                for col in (6, 8, 9, 10, 11):
                    ws.cell(r, col, '流标')
                ws.cell(r, 7, f'{spec.rstrip("*")}*{count}片')
                ws.cell(r, 13, '未接受议价')
                expected['notSelected'] += 1
                continue
            expected['valid'] += 1
            if unit == FOLLOWS:
                # 规格 and 采购数量 only: no company, no pack, no price
                expected['withoutPrice'] += 1
                expected['strengths'].append({**strength, 'hasPrice': False})
                continue
            box = (Decimal(unit) * count).quantize(Decimal('0.01'))
            ws.cell(r, 6, company)
            ws.cell(r, 7, f'{spec.rstrip("*")}*{count}片')
            ws.cell(r, 8, float(box))
            ws.cell(r, 9, float(Decimal(unit)))
            ws.cell(r, 10, float(Decimal(average)))
            ws.cell(r, 11, f'{(1 - Decimal(unit) / Decimal(average)) * 100:.2f}%')
            expected['products'] += 1
            expected['prices'].append(dec(unit))
            expected['specs'].append(spec.rstrip('*'))
            expected['strengths'].append({**strength, 'hasPrice': True})
        last = ws.max_row
        if last > first:
            # 序号 and 品种名 are merged over the variety's strengths
            ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
            ws.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
        if company:
            expected['varieties'].append(name)
            expected['companies'].append(company)
        else:
            expected['failedVarieties'].append(name)
    expected['prices'].sort(key=Decimal)
    expected['specs'].sort()
    expected['companies'].sort()
    expected['strengths'].sort(key=lambda s: (s['variety'], s['spec']))
    check(ws.max_row - 3 == 42 and expected['products'] == 26 and expected['withoutPrice'] == 8 and expected['notSelected'] == 8, 'the pilot layout: 42 rows, 26 priced, 8 without a price, 8 failed')
    check(len(expected['varieties']) == 25 and len(expected['failedVarieties']) == 6, 'the pilot: 25 of 31 varieties selected')
    return wb, expected


# ---------------------------------------------------------------------------------------------------------
# 各省约定采购量 (province agreed volumes): the joint procurement office's table, all provinces in one sheet

VOLUMES_CODE = 'CORPUS-10'
# (name, form, selected?): the batch's varieties; 孟鲁司特钠片's tender failed
VOLUME_VARIETIES = [('阿托伐他汀钙片', '口服常释剂型', True), ('苯磺酸氨氯地平片', '口服常释剂型', True), ('孟鲁司特钠片', '口服常释剂型', False)]
# (region as written, its code): names as copied from the PDF
VOLUME_REGIONS = [('北京', '110000'), ('湖 北', '420000'), ('云 南', '530000'), ('新疆\n（含兵团）', '650000'), ('江苏', '320000')]
VOLUME_STRENGTHS = {'阿托伐他汀钙片': ['10mg', '20mg*'], '苯磺酸氨氯地平片': ['5mg*'], '孟鲁司特钠片': ['10mg*']}


def volumes_workbook(rng: random.Random):
    """Volumes in 万 (10,000) units to four decimals; a province's name merged over its rows; 流标 rows; a stray variety."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '约定采购量'
    headers = ['序号', '地区', '品种', '规格', '首年约定采购量（万片/万支/万袋）', '备注']
    title_rows(ws, '第十批国家组织药品集中采购各省首年约定采购量', '注：约定采购量单位为万片（支、袋）；地区名称自 PDF 复制。本表数据为测试用合成数据。', len(headers))
    header_row(ws, headers)
    totals = {}
    expected = {'valid': 0, 'invalid': 0, 'notSelected': 0, 'warnings': 0}
    serial = 0
    for written, code in VOLUME_REGIONS:
        first = ws.max_row + 1
        for name, _form, selected in VOLUME_VARIETIES:
            for spec in VOLUME_STRENGTHS[name]:
                serial += 1
                r = ws.max_row + 1
                ws.cell(r, 1, serial)
                if r == first:
                    ws.cell(r, 2, written).alignment = WRAP
                ws.cell(r, 3, name)
                ws.cell(r, 4, spec)
                if not selected:
                    ws.cell(r, 5, '流标')
                    ws.cell(r, 6, '流标品种')
                    expected['notSelected'] += 1
                    continue
                wan = Decimal(rng.randint(1, 3_000_000)) / Decimal(10_000)  # up to 300 万, four decimals
                ws.cell(r, 5, float(wan))
                totals[code] = totals.get(code, Decimal(0)) + wan * 10_000
                expected['valid'] += 1
        last = ws.max_row
        ws.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
        # a thin spacer between provinces: a height, no cell
        height_only_row(ws, last + 1)
        ws.cell(last + 2, 1)  # (openpyxl's max_row only counts rows with cells: step past the spacer)
    styled_empty_row(ws, ws.max_row + 1, len(headers))
    # a variety the batch did not select: warned, kept out of the totals
    r = ws.max_row + 1
    ws.cell(r, 1, serial + 1)
    ws.cell(r, 2, '北京')
    ws.cell(r, 3, '别的批次片')
    ws.cell(r, 4, '1g')
    ws.cell(r, 5, 12.5)
    expected['valid'] += 1
    expected['warnings'] += 1
    expected['totals'] = {code: str(int(units)) for code, units in sorted(totals.items())}
    return wb, expected


# ---------------------------------------------------------------------------------------------------------
# LibreOffice, and rewriting its XML the way Excel writes


def soffice_convert(soffice: str, target: str, files: list, outdir: str, work: str) -> None:
    """One soffice run converting `files` to `target`, with a profile and HOME of its own."""
    profile = tempfile.mkdtemp(prefix='lo-profile-', dir=work)
    os.makedirs(outdir, exist_ok=True)
    env = dict(os.environ, HOME=profile)
    cmd = [soffice, f'-env:UserInstallation=file://{profile}', '--headless', '--norestore', '--nolockcheck', '--convert-to', target, '--outdir', outdir, *files]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    base = lambda f: os.path.splitext(os.path.basename(f))[0]
    missing = [f for f in files if not any(name.startswith((base(f) + '.', base(f) + '-')) for name in os.listdir(outdir))]
    if done.returncode != 0 or missing:
        raise SystemExit(f'soffice --convert-to {target} failed (exit {done.returncode}, missing {missing}): {done.stdout} {done.stderr}')


def rewrite_entry(path: str, name: str, rewrite) -> None:
    """Replaces one part of an xlsx (the other parts copied as they are, in their order)."""
    tmp = path + '.tmp'
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == name:
                data = rewrite(data.decode('utf-8')).encode('utf-8')
            dst.writestr(info, data)
    os.replace(tmp, path)


def sheet_part(path: str, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        workbook = z.read('xl/workbook.xml').decode('utf-8')
        rels = z.read('xl/_rels/workbook.xml.rels').decode('utf-8')
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = target.group(1)
    return t.lstrip('/') if t.startswith('/') else 'xl/' + t


def runs(rows: list) -> list:
    """Consecutive row numbers grouped: [4, 5, 6, 9, 10] → [[4, 5, 6], [9, 10]]."""
    groups = []
    for r in rows:
        if groups and groups[-1][-1] == r - 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def make_shared_formulas(path: str, sheet: str, column: str, rows: list) -> int:
    """
    Formulas copied down a column as Excel saves them: each run of two or more rows one shared formula (its
    first cell holds the text, the others refer to it by si), the cached values kept. Returns how many.
    """
    groups = [g for g in runs(rows) if len(g) > 1]

    def rewrite(xml: str) -> str:
        for si, group in enumerate(groups):
            xml = share(xml, si, group)
        return xml

    def share(xml: str, si: int, rows: list) -> str:
        first, last = rows[0], rows[-1]
        for r in rows:
            pattern = re.compile(rf'(<c r="{column}{r}"[^>]*>)<f([^>]*)>([^<]*)</f>(<v>[^<]+</v>)')
            m = pattern.search(xml)
            if not m:
                raise SystemExit(f'{path}: no formula with a cached value in {column}{r}')
            if r == first:
                f = f'<f t="shared" ref="{column}{first}:{column}{last}" si="{si}"{m.group(2)}>{m.group(3)}</f>'
            else:
                f = f'<f t="shared" si="{si}"{m.group(2)}/>'
            xml = xml[: m.start()] + m.group(1) + f + m.group(4) + xml[m.end():]
        return xml

    rewrite_entry(path, sheet_part(path, sheet), rewrite)
    return len(groups)


def make_rich_text(path: str, runs_by_text: dict) -> None:
    """Shared strings as runs of their own fonts (a clerk bolded or coloured part of the cell)."""
    font = '<rFont val="宋体"/><charset val="134"/><family val="3"/>'
    bold = f'<rPr>{font}<b val="true"/><color rgb="FFC00000"/><sz val="11"/></rPr>'
    plain = f'<rPr>{font}<sz val="11"/></rPr>'

    def rewrite(xml: str) -> str:
        for text, runs in runs_by_text.items():
            assert ''.join(runs) == text
            pattern = re.compile(rf'<si><t(?: xml:space="preserve")?>{re.escape(text)}</t></si>')
            if not pattern.search(xml):
                raise SystemExit(f'{path}: no shared string "{text}"')
            rich = ''.join(f'<r>{bold if i % 2 == 0 else plain}<t xml:space="preserve">{run}</t></r>' for i, run in enumerate(runs))
            xml = pattern.sub(f'<si>{rich}</si>', xml, count=1)
        return xml

    rewrite_entry(path, 'xl/sharedStrings.xml', rewrite)


INLINE_RICH = {'北京嘉林药业股份有限公司': ['北京嘉林', '药业股份有限公司'], '苯磺酸氨氯地平片': ['苯磺酸', '氨氯地平片'], '浙江京新药业股份有限公司': ['浙江京新药业', '股份有限公司']}


def save_with_inline_rich_text(wb, sheet: str, path: str, runs_by_text: dict) -> int:
    """
    Saves `wb` with the cells holding one of the texts written as openpyxl 3.1 writes a CellRichText: an inline
    string of runs, the odd ones bold. Returns how many cells.
    """
    ws = wb[sheet]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value in runs_by_text]
    if CellRichText is not None:
        for c in cells:
            c.value = CellRichText(*(TextBlock(InlineFont(b=True), run) if i % 2 else run for i, run in enumerate(runs_by_text[c.value])))
        wb.save(path)
        return len(cells)
    wb.save(path)
    texts = {c.coordinate: runs_by_text[c.value] for c in cells}

    def rewrite(xml: str) -> str:
        for coordinate, runs in texts.items():
            pattern = re.compile(rf'(<c r="{coordinate}"[^>]*t="inlineStr"[^>]*>)<is>.*?</is>')
            rich = ''.join(f'<r><rPr><b val="1"/></rPr><t>{run}</t></r>' if i % 2 else f'<r><t>{run}</t></r>' for i, run in enumerate(runs))
            xml, n = pattern.subn(lambda m: f'{m.group(1)}<is>{rich}</is>', xml, count=1)
            if n != 1:
                raise SystemExit(f'{path}: no inline string in {coordinate}')
        return xml

    rewrite_entry(path, sheet_part(path, sheet), rewrite)
    return len(cells)


# ---------------------------------------------------------------------------------------------------------
# checks: the files are what they claim to be


def part_text(path: str, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode('utf-8')


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f'corpus check failed: {message}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('outdir')
    parser.add_argument('--soffice', default=shutil.which('soffice') or 'soffice')
    args = parser.parse_args()
    out = os.path.abspath(args.outdir)
    work = os.path.join(out, '.work')
    src = os.path.join(work, 'src')
    os.makedirs(src, exist_ok=True)
    rng = random.Random(12)
    cases = []

    def case(file, kind, fields, expect, producer, features, **extra):
        cases.append({'id': extra.pop('id', file), 'file': file, 'kind': kind, 'fields': fields, 'producer': producer, 'features': features, 'expect': expect, **extra})

    # LibreOffice: each run takes ~5 s, mostly starting up; two at a time (four at once on two cores are slower),
    # each started as soon as the files it converts are written
    pool = ThreadPoolExecutor(max_workers=2)
    lo = {name: os.path.join(work, name) for name in ('xlsx', 'utf8', 'gb18030', 'xls')}
    runs = []

    def convert(name, target, files):
        runs.append(pool.submit(soffice_convert, args.soffice, target, files, lo[name], work))

    # openpyxl: written directly
    results_wb, results_expect, _ = batch_results_workbook(formulas=False, far_columns=True)
    results_wb.save(os.path.join(out, 'batch-results-openpyxl.xlsx'))
    results_src, results_src_expect, formula_rows = batch_results_workbook(formulas=True, far_columns=False)
    check(results_src_expect == results_expect, 'both batch-results workbooks hold the same data')
    results_src_path = os.path.join(src, 'batch-results.xlsx')
    results_src.save(results_src_path)
    convert('xlsx', 'xlsx', [results_src_path])
    rich_wb, rich_expect, _ = batch_results_workbook(formulas=False, far_columns=False)
    check(rich_expect == results_expect, 'the inline rich-text workbook holds the same data')
    rich_cells = save_with_inline_rich_text(rich_wb, '拟中选结果', os.path.join(out, 'batch-results-inline-rich-text.xlsx'), INLINE_RICH)
    check(rich_cells >= len(INLINE_RICH), 'the rich-text cells were found')
    impl_1900, impl_expect = implementations_workbook(epoch_1904=False)
    impl_1900.save(os.path.join(out, 'implementations-1900.xlsx'))
    convert('xls', 'xls', [os.path.join(out, 'implementations-1900.xlsx')])
    impl_1904, impl_expect_1904 = implementations_workbook(epoch_1904=True)
    impl_1904.save(os.path.join(out, 'implementations-1904.xlsx'))
    check(impl_expect == impl_expect_1904, 'both implementations workbooks hold the same data')
    impl_iso, impl_expect_iso = implementations_workbook(epoch_1904=False)
    impl_iso.iso_dates = True
    impl_iso.save(os.path.join(out, 'implementations-iso-dates.xlsx'))
    check(impl_expect == impl_expect_iso, 'the ISO-dates implementations workbook holds the same data')
    purchases_wb, purchases_expect = purchases_workbook(rng)
    purchases_wb.save(os.path.join(out, 'purchases.xlsx'))
    pilot_wb, pilot_expect = pilot_workbook(rng)
    pilot_wb.save(os.path.join(out, 'pilot-4plus7.xlsx'))
    volumes_wb, volumes_expect = volumes_workbook(rng)
    volumes_wb.save(os.path.join(out, 'province-volumes.xlsx'))
    convert('utf8', f'csv:{CSV_FILTER}:{CSV_OPTIONS.format(encoding=UTF8)}', [results_src_path, *(os.path.join(out, f) for f in ('implementations-1904.xlsx', 'purchases.xlsx', 'pilot-4plus7.xlsx', 'province-volumes.xlsx'))])
    convert('gb18030', f'csv:{CSV_FILTER}:{CSV_OPTIONS.format(encoding=GB18030)}', [results_src_path, os.path.join(out, 'purchases.xlsx')])
    for run in runs:
        run.result()
    pool.shutdown()
    move = lambda frm, to: shutil.move(os.path.join(lo[frm[0]], frm[1]), os.path.join(out, to))
    move(('xlsx', 'batch-results.xlsx'), 'batch-results-libreoffice.xlsx')
    move(('utf8', 'batch-results-拟中选结果.csv'), 'batch-results-utf8.csv')
    move(('utf8', 'implementations-1904-落地执行.csv'), 'implementations-1904.csv')
    move(('utf8', 'purchases-采购明细.csv'), 'purchases-utf8.csv')
    move(('utf8', 'pilot-4plus7-Sheet1.csv'), 'pilot-4plus7.csv')
    move(('utf8', 'province-volumes-约定采购量.csv'), 'province-volumes.csv')
    move(('gb18030', 'batch-results-拟中选结果.csv'), 'batch-results-gb18030.csv')
    move(('gb18030', 'purchases-采购明细.csv'), 'purchases-gb18030.csv')
    move(('xls', 'implementations-1900.xls'), 'implementations-1900.xls')
    with open(os.path.join(out, 'purchases-utf8.csv'), 'rb') as f:
        utf8 = f.read()
    with open(os.path.join(out, 'purchases-utf8-bom.csv'), 'wb') as f:
        f.write(utf8 if utf8.startswith(b'\xef\xbb\xbf') else b'\xef\xbb\xbf' + utf8)

    # what Excel writes and LibreOffice does not
    lo_results = os.path.join(out, 'batch-results-libreoffice.xlsx')
    shared = make_shared_formulas(lo_results, '拟中选结果', get_column_letter(COL['中选价格（元/片）']), formula_rows)
    make_rich_text(lo_results, {'苯磺酸氨氯地平片': ['苯磺酸', '氨氯地平片'], '浙江京新药业股份有限公司': ['浙江京新药业', '股份有限公司'], '注射用头孢曲松钠': ['注射用', '头孢曲松钠']})

    # checks
    sheet_xml = part_text(os.path.join(out, 'batch-results-openpyxl.xlsx'), 'xl/worksheets/sheet2.xml')
    check('t="inlineStr"' in sheet_xml, 'openpyxl wrote inline strings')
    check('<c r="XFD' in sheet_xml and 'max="16384"' in sheet_xml, 'styled cells and columns out to XFD')
    row_without_cells = re.compile(r'<row [^>]*customHeight="1"[^>]*>\s*</row>|<row [^>]*customHeight="1"[^>]*/>')
    check(bool(row_without_cells.search(sheet_xml)), 'a row with only a height and a style, no cell')
    check(bool(row_without_cells.search(part_text(os.path.join(out, 'province-volumes.xlsx'), 'xl/worksheets/sheet1.xml'))), 'province volumes: rows with only a height')
    with zipfile.ZipFile(os.path.join(out, 'batch-results-openpyxl.xlsx')) as z:
        check('xl/sharedStrings.xml' not in z.namelist() or '<si>' not in z.read('xl/sharedStrings.xml').decode(), 'openpyxl wrote no shared string')
    lo_sheet = part_text(lo_results, sheet_part(lo_results, '拟中选结果'))
    check(shared == 2 and len(re.findall(r'<f t="shared" [^>]*ref="[^"]+"[^>]*>[^<]+</f><v>[^<]+</v>', lo_sheet)) == shared, 'two shared formulas, with cached values')
    check(len(re.findall(r'<f t="shared" si="\d"[^>]*/><v>[^<]+</v>', lo_sheet)) == len(formula_rows) - shared, 'the shared formulas\' other cells have cached values')
    check('t="s"' in lo_sheet and 't="inlineStr"' not in lo_sheet, 'LibreOffice wrote shared strings')
    strings = part_text(lo_results, 'xl/sharedStrings.xml')
    check(all(f'<t xml:space="preserve">{run}</t></r>' in strings for run in ('氨氯地平片', '股份有限公司', '头孢曲松钠')), 'the rich-text strings')
    check('state="hidden"' in part_text(lo_results, 'xl/workbook.xml'), 'the hidden sheet survived LibreOffice')
    check('date1904="1"' in part_text(os.path.join(out, 'implementations-1904.xlsx'), 'xl/workbook.xml'), 'the 1904 date system')
    check('<c r="D4" s="4" t="d"><v>2022-11-01</v>' in part_text(os.path.join(out, 'implementations-iso-dates.xlsx'), 'xl/worksheets/sheet1.xml'), 'ISO 8601 date cells')
    rich_xml = part_text(os.path.join(out, 'batch-results-inline-rich-text.xlsx'), 'xl/worksheets/sheet2.xml')
    check(len(re.findall(r't="inlineStr"[^>]*><is><r>', rich_xml)) == rich_cells, 'inline strings of runs')
    check('date1904="1"' not in part_text(os.path.join(out, 'implementations-1900.xlsx'), 'xl/workbook.xml'), 'the 1900 date system')
    with open(os.path.join(out, 'purchases-utf8.csv'), 'rb') as f:
        raw = f.read()
        check(not raw.startswith(b'\xef\xbb\xbf') and '2024年3月' in raw.decode('utf-8'), 'UTF-8 without a BOM, months shown as formatted')
    with open(os.path.join(out, 'purchases-utf8-bom.csv'), 'rb') as f:
        check(f.read(3) == b'\xef\xbb\xbf', 'the BOM')
    for name in ('purchases-gb18030.csv', 'batch-results-gb18030.csv'):
        with open(os.path.join(out, name), 'rb') as f:
            raw = f.read()
        try:
            raw.decode('utf-8')
            check(False, f'{name} is not valid UTF-8')
        except UnicodeDecodeError:
            pass
        check('医' in raw.decode('gb18030') or '企业' in raw.decode('gb18030'), f'{name} decodes as GB18030')
    with open(os.path.join(out, 'batch-results-utf8.csv'), encoding='utf-8') as f:
        text = f.read()
        check('"北京嘉林药业\n股份有限公司"' in text, 'a line break inside a quoted CSV field')
        check(text.startswith('第九批国家组织药品集中采购拟中选结果表,'), 'the CSV holds the data sheet, not the hidden one before it')
    with open(os.path.join(out, 'implementations-1900.xls'), 'rb') as f:
        check(f.read(8) == bytes.fromhex('d0cf11e0a1b11ae1'), '.xls is an OLE2 compound file')

    results_fields = {'batch': BATCH_RESULTS_CODE}
    pdf = ['names pasted from PDF (spaces, line breaks)']
    case('batch-results-openpyxl.xlsx', 'batch-results', results_fields, {**results_expect, 'sheet': '拟中选结果'}, f'openpyxl {openpyxl.__version__}',
         ['inline strings', 'hidden sheet first (chosen by its header)', 'styled empty rows and columns', 'styled cells out to XFD', 'merged title and cells', 'full-width digits and brackets', *pdf])
    case('batch-results-libreoffice.xlsx', 'batch-results', {**results_fields, 'sheet': '拟中选结果'}, {**results_expect, 'sheet': '拟中选结果'}, 'LibreOffice (xlsx), then a shared formula and rich text as Excel writes them',
         ['shared strings', 'rich text', 'shared formula with cached values', 'hidden sheet first (sheet sent)', *pdf])
    case('batch-results-inline-rich-text.xlsx', 'batch-results', results_fields, {**results_expect, 'sheet': '拟中选结果'}, 'openpyxl (rich text as 3.1 writes CellRichText)',
         ['inline strings of rich-text runs', *pdf])
    case('batch-results-utf8.csv', 'batch-results', results_fields, results_expect, 'LibreOffice (CSV, UTF-8)', ['line breaks inside quoted fields', *pdf])
    case('batch-results-gb18030.csv', 'batch-results', results_fields, results_expect, 'LibreOffice (CSV, GB18030)', ['GB18030 detected', *pdf])
    pilot_features = ['4+7 pilot layout', '* marks the main strength', '流标 rows', 'strengths without a price, after and before the priced one']
    case('pilot-4plus7.xlsx', 'batch-results', {'batch': PILOT_CODE}, pilot_expect, f'openpyxl {openpyxl.__version__}', [*pilot_features, 'merged 序号 and 品种名'])
    case('pilot-4plus7.csv', 'batch-results', {'batch': PILOT_CODE}, pilot_expect, 'LibreOffice (CSV, UTF-8)', pilot_features)
    case('implementations-1900.xlsx', 'implementations', {}, impl_expect, f'openpyxl {openpyxl.__version__}', ['1900 date system', 'regions pasted from PDF', 'merged batch cell'])
    case('implementations-1904.xlsx', 'implementations', {}, impl_expect, f'openpyxl {openpyxl.__version__}', ['1904 date system', 'regions pasted from PDF'])
    case('implementations-iso-dates.xlsx', 'implementations', {}, impl_expect, f'openpyxl {openpyxl.__version__} (iso_dates=True)', ['dates as ISO 8601 cells (t="d")', 'regions pasted from PDF'])
    case('implementations-1904.csv', 'implementations', {}, impl_expect, 'LibreOffice (CSV, UTF-8) from the 1904 workbook', ['dates as shown', 'regions pasted from PDF'])
    case('implementations-1900.xlsx', 'implementations', {}, impl_expect, f'openpyxl {openpyxl.__version__}', ['form fields sent after the file'], id='implementations-1900.xlsx (fields after the file)', fieldsAfterFile=True)
    purchase_fields = {'region': PURCHASE_REGION}
    case('purchases.xlsx', 'purchases', purchase_fields, purchases_expect, f'openpyxl {openpyxl.__version__}', ['months as dates and as 2024年3月 text', 'a few thousand rows'])
    case('purchases-utf8.csv', 'purchases', purchase_fields, purchases_expect, 'LibreOffice (CSV, UTF-8)', ['amounts shown as 1,234.50'])
    case('purchases-utf8-bom.csv', 'purchases', purchase_fields, purchases_expect, 'LibreOffice (CSV, UTF-8) with the BOM Excel writes', ['UTF-8 BOM'])
    case('purchases-gb18030.csv', 'purchases', purchase_fields, purchases_expect, 'LibreOffice (CSV, GB18030)', ['GB18030 detected'])
    case('implementations-1900.xls', 'implementations', {}, {'refused': 'LEGACY_EXCEL_FORMAT'}, 'LibreOffice (xls)', ['legacy .xls refused'])
    volume_features = ['all provinces in one sheet', 'volumes in 万 units', 'province merged over its rows', 'regions pasted from PDF', '流标 rows', 'a variety the batch did not select']
    case('province-volumes.xlsx', 'province-volumes', {'batch': VOLUMES_CODE}, volumes_expect, f'openpyxl {openpyxl.__version__}', [*volume_features, 'styled empty row'])
    case('province-volumes.csv', 'province-volumes', {'batch': VOLUMES_CODE}, volumes_expect, 'LibreOffice (CSV, UTF-8)', volume_features)

    shutil.rmtree(work)
    manifest = {
        'generator': {'openpyxl': openpyxl.__version__, 'soffice': args.soffice, 'seed': 12},
        'regions': [{'code': c, 'nameZh': n, 'shortNameZh': s} for c, (n, s) in REGIONS.items()],
        'batches': {'batchResults': [BATCH_RESULTS_CODE, PILOT_CODE], 'implementations': IMPLEMENTATION_BATCHES},
        'provinceVolumes': {'batch': VOLUMES_CODE, 'varieties': [{'nameZh': n, 'form': f, 'selected': s} for n, f, s in VOLUME_VARIETIES]},
        'purchases': {
            'region': PURCHASE_REGION,
            'institutions': [{'code': c, 'name': n} for c, n in PURCHASE_INSTITUTIONS],
            'products': [{'nhsaCode': code, 'nameZh': name, 'spec': spec} for code, name, spec, _ in PURCHASE_PRODUCTS],
        },
        'cases': cases,
    }
    json.dump(manifest, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
