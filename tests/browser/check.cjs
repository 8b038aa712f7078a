// Reader-facing layout checks, driven by tests/it/browser.rs:
//   node tests/browser/check.cjs BASE_URL NAME=PATH...
// Opens every page in Debian's headless Chromium (through playwright-core)
// as WeChat's in-app browser on a 375 px phone, at 100 % and 200 % text
// (the default font size doubled, which is what WeChat's 字体大小 does), in
// light and dark colour schemes, and in 长辈模式 (care mode). On each it checks:
//   overflow  nothing is wider than the screen;
//   narrow    no text box narrower than 4 characters that wraps
//             (the site title stacked one character per line);
//   target    every link, button and summary at least 44×44 px, unless it
//             is inline in a line of text of a paragraph of at least 17 px;
//   small     no text smaller than 15 px (30 px at 200 %);
//   justify   no justified text;
//   axe       axe-core's violations (every rule axe runs by default).
// Then the care-mode switch itself (a real button, aria-pressed, remembered
// across pages, no flash) and reading without JavaScript.
// Prints one line per problem ("FAIL page [mode] check: detail") and ends
// with "browser: N page loads, M problems". Exit 0 only without problems;
// 2 if it could not run.
'use strict';
const fs = require('fs');

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 ' +
  '(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const CHROMIUM = process.env.PUFA_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CARE_KEY = 'pufa-care';

let pw, axePath;
try {
  pw = require('playwright-core');
  axePath = require.resolve('axe-core/axe.min.js');
} catch (e) {
  console.log('check.cjs: ' + e.message.split('\n')[0]);
  console.log('browser: the test dependencies are missing: run .ci/install-test-deps');
  process.exit(2);
}

const [base, ...specs] = process.argv.slice(2);
if (!base || specs.length === 0) {
  console.log('usage: node check.cjs BASE_URL NAME=PATH...');
  process.exit(2);
}
const pages = specs.map((s) => {
  const i = s.indexOf('=');
  return { name: s.slice(0, i), path: s.slice(i + 1) };
});

let problems = 0;
let loads = 0;
const spent = { load: 0, layout: 0, axe: 0 };
const clock = () => Number(process.hrtime.bigint() / 1000000n);
// Problems by "page [mode] check", printed at the end: the first few of
// each kind in full, then how many more.
const found = new Map();
function fail(page, mode, check, detail) {
  problems++;
  const key = `${page} [${mode}] ${check}`;
  if (!found.has(key)) found.set(key, []);
  found.get(key).push(detail);
}
function report() {
  for (const [key, details] of found) {
    for (const d of details.slice(0, 3)) console.log(`FAIL ${key}: ${d}`);
    if (details.length > 3) console.log(`FAIL ${key}: … and ${details.length - 3} more like these`);
  }
}

// Runs in the page: the layout checks. `scale` is 1 or 2 (text size).
function layoutProblems(scale) {
  const out = [];
  const de = document.documentElement;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
    const parent = el.parentElement;
    if (parent && parent !== document.body && !el.id) {
      let p = parent.tagName.toLowerCase();
      if (typeof parent.className === 'string' && parent.className.trim()) p += '.' + parent.className.trim().split(/\s+/)[0];
      s = p + ' > ' + s;
    }
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim();
    return s + (text ? ` “${text.slice(0, 30)}”` : '');
  };
  const shown = (el) => {
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    // Visually hidden text (the skip link until focused): clipped or off the page.
    if (r.right <= 0 || r.bottom <= 0 && r.top < 0) return false;
    if (cs.clip === 'rect(0px, 0px, 0px, 0px)' || cs.clipPath === 'inset(50%)') return false;
    return true;
  };
  const block = (el) => {
    let b = el.parentElement;
    while (b && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
    return b || document.body;
  };
  const px = (v) => parseFloat(v) || 0;

  // overflow
  const cw = de.clientWidth;
  if (de.scrollWidth > cw + 1) {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > cw + 1 && r.width > 0 && shown(el)) {
        wide.push(`${describe(el)} (right edge ${Math.round(r.right)} px)`);
        if (wide.length >= 3) break;
      }
    }
    out.push(['overflow', `page is ${de.scrollWidth} px wide on a ${cw} px screen: ${wide.join('; ')}`]);
  }

  // Elements with text of their own.
  const texts = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'svg'].includes(el.tagName) || el.closest('svg')) continue;
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.nodeValue.trim());
    if (own.length && shown(el)) texts.push([el, own]);
  }
  const minFont = 15 * scale - 0.1;
  for (const [el, own] of texts) {
    const cs = getComputedStyle(el);
    const size = px(cs.fontSize);
    if (size < minFont) out.push(['small', `${describe(el)} is ${size} px (at least ${15 * scale} px)`]);
    const b = cs.display.startsWith('inline') ? block(el) : el;
    if (getComputedStyle(b).textAlign === 'justify') {
      out.push(['justify', `${describe(b)} is justified: Chinese text spreads apart`]);
    }
    // A box narrower than 4 characters whose text wraps.
    const bcs = getComputedStyle(b);
    const width = b.getBoundingClientRect().width - px(bcs.paddingLeft) - px(bcs.paddingRight) -
      px(bcs.borderLeftWidth) - px(bcs.borderRightWidth);
    if (width < 4 * size - 0.5) {
      const tops = new Set();
      for (const n of own) {
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top / (size * 0.5)));
      }
      if (tops.size > 1) {
        out.push(['narrow', `${describe(el)} wraps in a box ${Math.round(width)} px wide (${(width / size).toFixed(1)} characters of ${size} px)`]);
      }
    }
  }

  // Tap targets.
  for (const el of document.body.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select, textarea, [role=button]')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width >= 43.5 && r.height >= 43.5) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'inline') {
      const b = block(el);
      const bsize = px(getComputedStyle(b).fontSize);
      const mine = (el.textContent || '').trim().length;
      const all = (b.textContent || '').replace(/\s+/g, '').length;
      if (bsize >= 17 - 0.1 && all > mine + 1) continue; // a link in a line of text
    }
    out.push(['target', `${describe(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px (at least 44×44)`]);
  }
  return out;
}

// Fonts loaded, and on the search page the results shown (its script
// fetches the index after the load event).
async function settle(page) {
  await page.evaluate(() => document.fonts && document.fonts.ready).catch(() => {});
  if (await page.$('#search-results')) {
    await page.waitForFunction(() => {
      const status = document.getElementById('search-status');
      return document.querySelector('#search-results li') || (status && status.textContent.trim());
    }, null, { timeout: 5000 }).catch(() => {});
  }
}

async function openContext(browser, { dark = false, scale = 1, care = false, js = true, width = 375 } = {}) {
  const ctx = await browser.newContext({
    viewport: { width, height: 812 }, screen: { width, height: 812 },
    deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: UA,
    locale: 'zh-CN', timezoneId: 'Asia/Shanghai', colorScheme: dark ? 'dark' : 'light',
    javaScriptEnabled: js,
  });
  if (care) await ctx.addInitScript(([k]) => { try { localStorage.setItem(k, '1'); } catch (e) { /* none */ } }, [CARE_KEY]);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push('uncaught exception: ' + String(e.message || e).split('\n')[0]));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document' && !/favicon\.ico/.test(r.url())) {
      errors.push(`HTTP ${r.status()} for ${r.url()}`);
    }
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Page.enable');
  // The browser's default font size: 16 px, or 32 px for WeChat's largest text.
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16 * scale, fixed: 13 * scale } });
  return { ctx, page, errors };
}

async function checkAll(browser, mode, opts, list, axeSource) {
  const { ctx, page, errors } = await openContext(browser, opts);
  for (const p of list) {
    errors.length = 0;
    loads++;
    let t = clock();
    try {
      const response = await page.goto(base + p.path, { waitUntil: 'load', timeout: 30000 });
      const status = response ? response.status() : 0;
      if (status !== (p.name === '404' ? 404 : 200)) fail(p.name, mode, 'load', `HTTP ${status} for ${p.path}`);
    } catch (e) {
      fail(p.name, mode, 'load', e.message.split('\n')[0]);
      continue;
    }
    await settle(page);
    spent.load += clock() - t;
    t = clock();
    for (const e of errors) fail(p.name, mode, 'load', e);
    const root = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const expected = 16 * opts.scale * (opts.care ? 1.25 : 1);
    if (Math.abs(root - expected) > 0.5) {
      fail(p.name, mode, 'setup', `the root font size is ${root} px, expected ${expected} px`);
    }
    for (const [check, detail] of await page.evaluate(layoutProblems, opts.scale)) fail(p.name, mode, check, detail);
    spent.layout += clock() - t;
    t = clock();
    if (opts.axe !== false && opts.js !== false) {
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 160)})`),
          count: v.nodes.length,
        }));
      });
      for (const v of violations) {
        fail(p.name, mode, 'axe', `${v.id} (${v.impact}): ${v.help}; ${v.count} element(s): ${v.nodes.join(' | ')}`);
      }
      spent.axe += clock() - t;
    }
  }
  await ctx.close();
}

// The switch: a button with aria-pressed, remembered on the device, applied
// before the first paint of the next page.
async function checkCareSwitch(browser, list) {
  const where = list[0];
  const mode = 'care switch';
  const { ctx, page } = await openContext(browser, {});
  await page.goto(base + where.path, { waitUntil: 'load' });
  const btn = page.locator('button[aria-pressed]');
  if (await btn.count() !== 1) {
    fail(where.name, mode, 'switch', `expected one button with aria-pressed, found ${await btn.count()}`);
    await ctx.close();
    return;
  }
  const before = await page.evaluate(() => {
    const b = document.querySelector('button[aria-pressed]');
    return { pressed: b.getAttribute('aria-pressed'), name: b.textContent.trim(), root: parseFloat(getComputedStyle(document.documentElement).fontSize) };
  });
  if (before.pressed !== 'false') fail(where.name, mode, 'switch', `aria-pressed is ${before.pressed} before it is pressed`);
  if (!/长辈模式/.test(before.name)) fail(where.name, mode, 'switch', `the button is named “${before.name}”, not 长辈模式`);
  const role = await page.getByRole('button', { name: '长辈模式', pressed: false }).count();
  if (role !== 1) fail(where.name, mode, 'switch', 'the accessibility tree has no button “长辈模式” (not pressed)');
  await btn.click();
  const after = await page.evaluate(() => ({
    pressed: document.querySelector('button[aria-pressed]').getAttribute('aria-pressed'),
    root: parseFloat(getComputedStyle(document.documentElement).fontSize),
  }));
  if (after.pressed !== 'true') fail(where.name, mode, 'switch', `aria-pressed is ${after.pressed} after a press`);
  if (!(after.root > before.root)) fail(where.name, mode, 'switch', `text did not grow (${before.root} px → ${after.root} px)`);
  // Another page: care mode from the first paint on. An init script
  // (which runs before the page's own) notes the root's classes when the
  // parser reaches <body>, before anything of the body can be painted.
  const other = list[1] || list[0];
  await page.addInitScript(() => {
    new MutationObserver((changes, observer) => {
      if (document.body) {
        window.careAtBody = document.documentElement.classList.contains('care');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(base + other.path, { waitUntil: 'load' });
  const early = await page.evaluate(() => window.careAtBody);
  if (early !== true) fail(other.name, mode, 'switch', `care mode is not on when <body> starts (${early}): the page would flash in the normal mode`);
  const kept = await page.getByRole('button', { name: '长辈模式', pressed: true }).count();
  if (kept !== 1) fail(other.name, mode, 'switch', 'on the next page the button is not pressed: the choice was not remembered');
  await page.getByRole('button', { name: '长辈模式' }).click();
  await page.reload({ waitUntil: 'load' });
  const off = await page.evaluate(() => document.documentElement.classList.contains('care'));
  if (off) fail(other.name, mode, 'switch', 'a second press did not turn care mode off for the next page');
  await ctx.close();
  loads += 3;
}

(async () => {
  const started = Date.now();
  const axeSource = fs.readFileSync(axePath, 'utf8');
  let browser;
  try {
    browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  } catch (e) {
    console.log(`check.cjs: could not start ${CHROMIUM}: ${e.message.split('\n')[0]}`);
    console.log('browser: Chromium did not start (.ci/install-test-deps installs it)');
    process.exit(2);
  }
  try {
    const modes = [
      ['100% light', { scale: 1 }],
      ['200% light', { scale: 2 }],
      ['100% dark', { scale: 1, dark: true }],
      ['200% dark', { scale: 2, dark: true }],
      ['200% light care', { scale: 2, care: true }],
      ['100% dark care', { scale: 1, dark: true, care: true }],
      // The narrowest phones: the layout only (axe sees the same page as at 375 px).
      ['320px 200% light', { scale: 2, width: 320, axe: false }],
      // Without JavaScript: readable (the switch is not shown, see below).
      ['200% no JS', { scale: 2, js: false }],
    ];
    // Two modes at a time: one waits for the browser while the other runs.
    const queue = modes.slice();
    const worker = async () => {
      while (queue.length) {
        const [mode, opts] = queue.shift();
        await checkAll(browser, mode, opts, pages, axeSource);
      }
    };
    await Promise.all([worker(), worker()]);
    const { ctx, page } = await openContext(browser, { js: false });
    await page.goto(base + pages[0].path, { waitUntil: 'load' });
    const visible = await page.evaluate(() => [...document.querySelectorAll('button[aria-pressed]')]
      .some((b) => getComputedStyle(b).display !== 'none' && b.getBoundingClientRect().width > 0));
    if (visible) fail(pages[0].name, 'no JS', 'switch', 'the care-mode button is shown but cannot work without JavaScript');
    await ctx.close();
    await checkCareSwitch(browser, pages);
  } finally {
    await browser.close().catch(() => {});
  }
  report();
  console.log(`time: loading ${(spent.load / 1000).toFixed(1)} s, layout checks ${(spent.layout / 1000).toFixed(1)} s, axe ${(spent.axe / 1000).toFixed(1)} s`);
  console.log(`browser: ${loads} page loads in ${((Date.now() - started) / 1000).toFixed(1)} s, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.log('check.cjs: unexpected failure: ' + (e && e.stack || e));
  console.log('browser: the check did not finish');
  process.exit(2);
});
