/* pufa search: finds articles in the browser, no server, no libraries.
   Loads search/index.json (format: src/search.rs) on the first focus of the
   box, cuts the query into the same tokens as the build (character bigrams
   for Chinese, lower-case words for ASCII), ranks title hits first and shows
   title, date and a highlighted snippet. ES5, for older in-app browsers. */
(function () {
  'use strict';

  var END = '0123456789abcdefghijklmnopqrstuv';
  var MORE = 'wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var WEIGHT = [6, 3, 1];
  var PAGE = 10;

  function isCjk(c) {
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
      (c >= 0xf900 && c <= 0xfaff);
  }

  function isWord(c) {
    return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
  }

  /* Full-width ASCII to ASCII, then lower case: one UTF-16 unit for one,
     so positions in the result are positions in the original. */
  function normalize(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
      if (c >= 65 && c <= 90) c += 32;
      out += String.fromCharCode(c);
    }
    return out;
  }

  function tokens(s) {
    var out = [], run = '', word = '';
    s = normalize(s);
    function flushRun() {
      if (run.length === 1) out.push(run);
      for (var k = 0; k + 1 < run.length; k++) out.push(run.substr(k, 2));
      run = '';
    }
    function flushWord() {
      if (word) out.push(word.substr(0, 32));
      word = '';
    }
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (isCjk(c)) {
        flushWord();
        run += s.charAt(i);
      } else if (isWord(c)) {
        if (run) flushRun();
        word += s.charAt(i);
      } else {
        if (run) flushRun();
        flushWord();
      }
    }
    if (run) flushRun();
    flushWord();
    return out;
  }

  /* The tokens a query is matched by: single characters only when the
     query has nothing longer; no repeats. */
  function queryTokens(q) {
    var all = tokens(q), multi = [], single = [], seen = {};
    for (var i = 0; i < all.length; i++) {
      var t = all[i];
      if (seen['$' + t]) continue;
      seen['$' + t] = true;
      if (t.length > 1 || !isCjk(t.charCodeAt(0))) multi.push(t);
      else single.push(t);
    }
    return multi.length ? multi : single;
  }

  function decode(s) {
    var out = [], i;
    if (s.charAt(0) === '~') {
      var bit = 0;
      for (i = 1; i < s.length; i += 4) {
        var chunk = s.substr(i, 4), n = 0, j, b, k;
        for (j = 0; j < chunk.length; j++) n |= B64.indexOf(chunk.charAt(j)) << (18 - 6 * j);
        for (b = 0; b < chunk.length - 1; b++) {
          var bits = (n >> (16 - 8 * b)) & 255;
          for (k = 0; k < 8; k++) if (bits & (1 << k)) out.push(bit + k);
          bit += 8;
        }
      }
      return out;
    }
    var v = 0, prev = -1;
    for (i = 0; i < s.length; i++) {
      var ch = s.charAt(i), d = END.indexOf(ch);
      if (d >= 0) {
        v = v * 32 + d;
        prev = prev < 0 ? v : prev + v + 1;
        out.push(prev);
        v = 0;
      } else {
        v = v * 32 + MORE.indexOf(ch);
      }
    }
    return out;
  }

  var imul = Math.imul || function (a, b) {
    var al = a & 0xffff, bl = b & 0xffff;
    return (al * bl + ((((a >>> 16) * bl + al * (b >>> 16)) << 16) >>> 0)) | 0;
  };

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < token.length; i++) h = imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
    return h % shards;
  }

  /* {"k": "tok tok", "v": "post post"} to two arrays, the tokens in the
     order the build sorted them (by code point, which is UTF-16 order for
     these characters): searched by halves, as an object with a property
     per token took tens of milliseconds to make on a slow phone. */
  function table(p) {
    if (!p || !p.k) return { k: [], v: [] };
    return { k: p.k.split(' '), v: p.v.split(' ') };
  }

  function find(t, token) {
    var lo = 0, hi = t.k.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (t.k[mid] < token) lo = mid + 1;
      else hi = mid;
    }
    return lo < t.k.length && t.k[lo] === token ? t.v[lo] : undefined;
  }

  /* The shards a query needs (all of them for a single character). */
  function shardsFor(index, toks) {
    var need = [], i;
    for (i = 0; i < toks.length; i++) {
      if (toks[i].length === 1 && isCjk(toks[i].charCodeAt(0))) {
        need = [];
        for (var s = 0; s < index.s; s++) need.push(s);
        return need;
      }
      var n = shardOf(toks[i], index.s);
      if (need.indexOf(n) < 0) need.push(n);
    }
    return need;
  }

  /* Document → best field (0 title, 1 summary/laws/tags, 2 body) for one token. */
  function lookup(index, token) {
    var found = [], tiers = {}, m, k, i;
    var single = token.length === 1 && isCjk(token.charCodeAt(0));
    for (i = 0; i < index.tables.length; i++) {
      m = index.tables[i];
      if (!m) continue;
      if (single) {
        for (k = 0; k < m.k.length; k++) {
          if (m.k[k].indexOf(token) >= 0 && isCjk(m.k[k].charCodeAt(0))) found.push(m.v[k]);
        }
      } else {
        var v = find(m, token);
        if (v !== undefined) found.push(v);
      }
    }
    for (i = 0; i < found.length; i++) {
      var parts = found[i].split('|');
      for (var t = 0; t < parts.length; t++) {
        if (!parts[t]) continue;
        var docs = decode(parts[t]);
        for (var j = 0; j < docs.length; j++) {
          var d = docs[j];
          if (tiers[d] === undefined || tiers[d] > t) tiers[d] = t;
        }
      }
    }
    return tiers;
  }

  /* Matching documents, best first: [{doc, score}]. The shards of the
     query's tokens must be loaded. */
  function rank(index, query) {
    var toks = queryTokens(query);
    if (!toks.length) return [];
    var hits = {}, d, i;
    for (i = 0; i < toks.length; i++) {
      var tiers = lookup(index, toks[i]);
      for (d in tiers) {
        var h = hits[d] || (hits[d] = { doc: +d, found: 0, score: 0 });
        h.found += 1;
        h.score += WEIGHT[tiers[d]];
      }
    }
    var n = toks.length, need = n <= 2 ? n : Math.ceil(2 * n / 3);
    var phrase = normalize(query.replace(/\s+/g, ''));
    var out = [];
    for (d in hits) {
      var r = hits[d];
      if (r.found < need) continue;
      if (normalize(index.docs[r.doc][0]).indexOf(phrase) >= 0) r.score += 10 * n;
      out.push(r);
    }
    out.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return out;
  }

  /* Which UTF-16 positions of `text` a query's tokens cover. */
  function marks(text, toks) {
    var norm = normalize(text), m = [], i, from, at;
    for (i = 0; i < toks.length; i++) {
      from = 0;
      while ((at = norm.indexOf(toks[i], from)) >= 0) {
        for (var k = at; k < at + toks[i].length; k++) m[k] = true;
        from = at + 1;
      }
    }
    return m;
  }

  /* The passage of a result to show (its passages come from the index,
     summary first, each already cut at a sentence, comma or between
     characters that are not one number or word): the one with the most of
     the query's tokens, else the summary. [text, marks] or null. */
  function bestPassage(passages, toks) {
    var best = null, bestCount = 0;
    for (var i = 0; passages && i < passages.length; i++) {
      var norm = normalize(passages[i]), count = 0;
      for (var k = 0; k < toks.length; k++) if (norm.indexOf(toks[k]) >= 0) count++;
      if (count > bestCount) { best = i; bestCount = count; }
    }
    if (best === null) best = passages && passages.length ? 0 : -1;
    if (best < 0) return null;
    return [passages[best], marks(passages[best], toks)];
  }

  var core = {
    tokens: tokens, queryTokens: queryTokens, decode: decode, shardOf: shardOf,
    table: table, find: find, shardsFor: shardsFor, rank: rank, marks: marks, bestPassage: bestPassage
  };
  if (typeof module === 'object' && module.exports) module.exports = core;
  if (typeof document === 'undefined') return;

  /* ---- the page ---- */

  var form = document.getElementById('search-form');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var indexUrl = form.getAttribute('data-index');
  var base = indexUrl.replace(/[?#].*$/, '').replace(/[^\/]*$/, '');
  var index = null, loading = false, waiting = [], pending = {}, textPending = {}, shown = 0;
  var current = '', results = [], timer = null;

  function request(url, done) {
    var x = new XMLHttpRequest();
    x.open('GET', url, true);
    x.onreadystatechange = function () {
      if (x.readyState !== 4) return;
      done(x.status === 200 || (x.status === 0 && x.responseText) ? x.responseText : null);
    };
    x.send();
  }

  function get(url, done) {
    request(url, function (text) {
      var data = null;
      if (text) {
        try { data = JSON.parse(text); } catch (e) { data = null; }
      }
      done(data);
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function loadIndex(done) {
    if (index) return done && done();
    if (done) waiting.push(done);
    if (loading) return;
    loading = true;
    say('正在载入搜索索引…');
    get(indexUrl, function (data) {
      loading = false;
      if (!data || !data.docs) {
        say('搜索索引载入失败，请检查网络后重试。');
        waiting = [];
        return;
      }
      index = { docs: data.docs, s: data.s || 1, h: data.h || '', tables: [], tb: data.tb || 0, texts: data.t || [] };
      if (index.s === 1) index.tables[0] = table(data.p);
      say('');
      var w = waiting;
      waiting = [];
      for (var i = 0; i < w.length; i++) w[i]();
    });
  }

  function loadShards(need, done) {
    var left = 0;
    function one(n) {
      left += 1;
      if (!pending[n]) {
        pending[n] = [];
        get(base + 'p' + n + '.json?v=' + index.h, function (data) {
          index.tables[n] = table(data);
          var cbs = pending[n];
          for (var k = 0; k < cbs.length; k++) cbs[k]();
        });
      }
      pending[n].push(function () { if (--left === 0) done(); });
    }
    for (var i = 0; i < need.length; i++) if (!index.tables[need[i]]) one(need[i]);
    if (left === 0) done();
  }

  function highlighted(el, text, m, start, end) {
    var i = start;
    while (i < end) {
      var j = i;
      while (j < end && !!m[j] === !!m[i]) j++;
      var part = document.createTextNode(text.slice(i, j));
      if (m[i]) {
        var mark = document.createElement('mark');
        mark.appendChild(part);
        el.appendChild(mark);
      } else {
        el.appendChild(part);
      }
      i = j;
    }
  }

  /* Loads the snippet files (large sites) of the documents `docs`. */
  function loadTexts(docs, done) {
    var left = 0, i;
    function one(n) {
      left += 1;
      if (!textPending[n]) {
        textPending[n] = [];
        get(base + 't' + n + '.json?v=' + index.h, function (data) {
          for (var k = 0; data && k < data.length; k++) index.texts[n * index.tb + k] = data[k];
          var cbs = textPending[n];
          textPending[n] = null;
          for (var c = 0; c < cbs.length; c++) cbs[c]();
        });
      }
      if (textPending[n]) textPending[n].push(function () { if (--left === 0) done(); });
      else left -= 1;
    }
    if (index.tb) {
      var blocks = {};
      for (i = 0; i < docs.length; i++) {
        var n = Math.floor(docs[i] / index.tb);
        if (!index.texts[docs[i]] && !blocks[n]) { blocks[n] = true; one(n); }
      }
    }
    if (left === 0) done();
  }

  /* Shows the next page of results, all at once when their snippets are
     there (nothing moves after it is drawn). */
  function showMore() {
    var stop = Math.min(results.length, shown + PAGE), docs = [], q = current;
    for (var i = shown; i < stop; i++) docs.push(results[i].doc);
    loadTexts(docs, function () {
      if (q !== current) return;
      var old = document.getElementById('search-more');
      if (old) old.parentNode.removeChild(old);
      var toks = queryTokens(current);
      for (; shown < stop; shown++) {
        var r = results[shown], d = index.docs[r.doc];
        var li = document.createElement('li');
        li.className = 'card';
        var a = document.createElement('a');
        a.className = 'card-title';
        a.href = d[1];
        highlighted(a, d[0], marks(d[0], toks), 0, d[0].length);
        li.appendChild(a);
        var meta = document.createElement('p');
        meta.className = 'card-meta';
        meta.appendChild(document.createTextNode(d[2]));
        li.appendChild(meta);
        var best = bestPassage(index.texts[r.doc], toks);
        if (best) {
          var p = document.createElement('p');
          p.className = 'card-summary snippet';
          highlighted(p, best[0], best[1], 0, best[0].length);
          li.appendChild(p);
        }
        list.appendChild(li);
      }
      if (shown < results.length) {
        var li2 = document.createElement('li');
        li2.id = 'search-more';
        li2.className = 'search-more';
        var b = document.createElement('button');
        b.type = 'button';
        b.textContent = '显示更多（还有 ' + (results.length - shown) + ' 篇）';
        b.onclick = showMore;
        li2.appendChild(b);
        list.appendChild(li2);
      }
    });
  }

  function run(q) {
    q = q.replace(/^\s+|\s+$/g, '');
    if (q === current && list.firstChild) return;
    current = q;
    list.innerHTML = '';
    shown = 0;
    results = [];
    if (!q) return say('');
    var toks = queryTokens(q);
    if (!toks.length) return say('请输入要查找的字词。');
    loadIndex(function () {
      loadShards(shardsFor(index, toks), function () {
        if (q !== current) return;
        results = rank(index, q);
        list.innerHTML = '';
        say(results.length
          ? '找到 ' + results.length + ' 篇与“' + q + '”相关的文章'
          : '没有找到与“' + q + '”相关的文章，换个说法试试，比如“家暴”“抚养费”“离婚”。');
        showMore();
      });
    });
  }

  function queryParam() {
    var m = /[?&]q=([^&#]*)/.exec(location.search);
    if (!m) return '';
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return ''; }
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    current = null;
    run(input.value);
    if (window.history && history.replaceState) {
      history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    }
    input.blur();
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 200);
  });
  input.addEventListener('focus', function () { loadIndex(); });

  var initial = queryParam();
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
