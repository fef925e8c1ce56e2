// One page of each template of the demo site (paths below /zhifa/), and of
// the hostile fixture (below /hostile/), which is small enough to paginate.
export const TEMPLATES = {
  home: '',
  'section lists/': 'lists/',
  'section guidance/': 'guidance/',
  'section cases/': 'cases/',
  'section warnings/': 'warnings/',
  'sub-section lists/scjg/': 'lists/scjg/',
  'plain section about/': 'about/',
  'document lists': 'lists/scjg/2024-exempt/',
  'document lists (superseded)': 'lists/scjg/2023-exempt/',
  'document guidance': 'guidance/2025-pharmacy-remind/',
  'document cases': 'cases/2024-bakery-first-offence/',
  'document warnings (high risk)': 'warnings/2026-hazchem-winter/',
  'document warnings (expired)': 'warnings/2025-catering-spring/',
  'plain page (regulation)': 'regulation/',
  'plain page (accessibility)': 'about/accessibility/',
  'registry agencies/': 'agencies/',
  'registry districts/': 'districts/',
  'registry industries/': 'industries/',
  'registry list-kinds/': 'list-kinds/',
  'registry risk-levels/': 'risk-levels/',
  'registry methods/': 'methods/',
  'registry years/': 'years/',
  'term agencies/scjg/': 'agencies/scjg/',
  'term risk-levels/high/': 'risk-levels/high/',
  'industry page (一业一页)': 'industries/hazchem/',
  'district page': 'districts/beishan/',
  'term agencies/rsj/ (contact, no documents)': 'agencies/rsj/',
  '行政调解 (mediation)': 'mediation/',
  'dispute kind (labour)': 'mediation/labor/',
  'list versions (point in time)': 'lists/scjg/2024-exempt/versions/',
  'list version (past)': 'lists/scjg/2024-exempt/versions/2024-04-01/',
  'list version (current)': 'lists/scjg/2024-exempt/versions/2025-01-01/',
  'what changed': 'changes/',
  'open data': 'data/',
  search: 'search/',
  '404 (missing URL, two folders deep)': 'lists/no-such-folder/no-such-page/',
};

export const MISSING = 'lists/no-such-folder/no-such-page/';

/** Pages of the hostile fixture that exercise pagination. */
export const PAGINATED = {
  'paginated term, page 1': 'years/2025/',
  'paginated term, page 2': 'years/2025/page/2/',
};

/** An industry page with list items, active risk points and a self-check list. */
export const TRADE_PAGE = 'industries/hazchem/';

/** 行政调解 and one kind of dispute with its mediating agency. */
export const MEDIATION = 'mediation/';
export const DISPUTE = 'mediation/labor/';

export const WARNING_BULLETIN = 'warnings/2025-catering-spring/';

/**
 * Hostile-fixture pages that axe checks too: the code blocks (highlighter
 * colours) and hostile strings in every slot of the document templates.
 * Pages whose content has the sanitized `<img src=x>` (no alt: the editor's
 * fault, not the theme's) are left out.
 */
export const HOSTILE_AXE = {
  'document cases with highlighted code': 'cases/hostile-case/',
  'document guidance with hostile strings': 'guidance/hostile-guidance/',
  'document warnings with hostile strings': 'warnings/hostile-warning/',
  'plain page with hostile strings': 'about/notes/',
  'term with hostile strings': 'agencies/evil/',
};

/** 年度报告: the index by year, one year's and one agency's reports, a report with figures. */
export const REPORTS = {
  'reports index (by year)': 'reports/',
  'reports of one year': 'reports/years/2024/',
  'reports of one agency': 'reports/agencies/scjg/',
  'report with figures': 'reports/scjg/2024/',
  'report without figures': 'reports/yjgl/2024/',
};
