/* The exam screen (gongkao/cbt/views.py). The server's clock decides: the
   screen shows the remaining time the server sent, counted down with the
   monotonic clock, so the PC's clock and a reload change nothing. Every answer
   is sent when chosen, with a sequence number; while the network is down the
   answers wait here, in order, and go out again when it comes back. */
(function () {
  "use strict";
  var root = document.getElementById("cbt");
  if (!root) { return; }
  var urls = root.dataset;
  var $ = function (id) { return document.getElementById(id); };
  var csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  var st = null;              // the last state from the server
  var fetchedAt = 0;          // performance.now() when st arrived
  var sealed = {};            // attempt id -> sealed paper
  var paper = null;           // the open subject's questions
  var paperOf = null;         // its attempt id
  var answers = {};           // position -> {choice, marked}
  var queue = [];             // answers not yet acknowledged, in order
  var sending = false;
  var index = 0;
  var confirmed = sessionStorage.getItem("gk-confirmed") === "1";
  var pollTimer = null;
  var timeUpFor = null;       // the state a time-up poll was scheduled for

  function show(id) {
    ["confirm", "waiting", "answering", "paused", "finished"].forEach(function (s) {
      $(s).hidden = s !== id;
    });
  }
  function message(text) { $("message").textContent = text || ""; $("message").hidden = !text; }
  function seqKey(attempt) { return "gk-seq-" + attempt; }
  function nextSeq(attempt) {
    var n = parseInt(localStorage.getItem(seqKey(attempt)) || "0", 10) + 1;
    localStorage.setItem(seqKey(attempt), String(n));
    return n;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    });
  }
  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" : "") + (m < 10 && h ? "0" : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
  }
  function remaining() {
    if (!st || !st.current || st.current.remaining_ms === null) { return null; }
    if (st.current.state === "paused") { return st.current.remaining_ms; }
    return st.current.remaining_ms - (performance.now() - fetchedAt);
  }

  function loadState() {
    return fetch(urls.state, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 404) { window.location.href = urls.logout; throw new Error("gone"); }
        return r.json();
      })
      .then(function (data) {
        st = data; fetchedAt = performance.now(); setOnline(true); render();
      })
      .catch(function (e) { if (String(e.message) !== "gone") { setOnline(false); } });
  }

  // While waiting, the small start signal (no database read on the server);
  // the state itself is read again a little later, spread over the room.
  function waitForStart() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(function () {
      fetch(urls.go, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (go) {
          setOnline(true);
          if (go.state) { loadState(); return; }  // an older login: read the state
          if (!go.started) { waitForStart(); return; }
          var c = st.current, first = st.subjects[0];
          var elapsed = Date.parse(go.now) - Date.parse(go.started_at);
          c.key = go.key;
          c.state = "answering";
          c.remaining_ms = first.minutes * 60000 - elapsed;
          c.earliest_submit_ms = null;
          c.saved = c.saved || {};
          fetchedAt = performance.now();
          render();
          schedule(5000 + Math.floor(Math.random() * 15000));
        })
        .catch(function () { setOnline(false); waitForStart(); });
    }, 2500 + Math.floor(Math.random() * 1000));
  }

  function schedule(ms) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(loadState, ms + Math.floor(Math.random() * 500));
  }

  function render() {
    var c = st.current;
    if (st.finished) { finish(); return; }
    if (!confirmed) { showConfirm(); return; }
    if (c && !sealed[c.attempt]) { fetchPaper(c.attempt); }
    if (!c.key) { show("waiting"); waitForStart(); return; }
    if (c.state === "paused") { show("paused"); schedule(3000); return; }
    var box = sealed[c.attempt];
    if (!box || box === "loading") {
      $("waiting-text").textContent = "正在载入试题…";
      show("waiting");
      return;  // fetchPaper renders again when the paper arrives
    }
    openPaper(c);
    show("answering");
    // Pauses and extra time show up within a minute; a save refused while
    // paused reads the state at once, and so does the time-up.
    schedule(60000);
  }

  function showConfirm() {
    var who = st.candidate, dl = $("who");
    dl.textContent = "";
    [["姓名", who.name], ["公民身份号码", who.id_number], ["准考证号", who.ticket],
     ["等级工种", who.level + " " + who.job_type],
     ["考场座位", who.room ? who.room + " " + who.seat + "号" : ""],
     ["场次", st.sitting]].forEach(function (pair) {
      if (!pair[1]) { return; }
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = pair[0]; dd.textContent = pair[1]; dl.appendChild(dt); dl.appendChild(dd);
    });
    if (urls.photo) { $("photo").src = urls.photo; } else { $("photo").hidden = true; }
    show("confirm");
    $("confirm-ok").focus();
  }

  function fetchPaper(attempt) {
    if (sealed[attempt] === "loading") { return; }
    sealed[attempt] = "loading";
    fetch(urls.paper.replace("/0/", "/" + attempt + "/"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (data) { sealed[attempt] = data; if (st && st.current && st.current.key) { render(); } })
      .catch(function () { sealed[attempt] = null; schedule(2000); });
  }

  function openPaper(c) {
    var box = sealed[c.attempt];
    if (!box || box === "loading") { return; }
    if (paperOf !== c.attempt) {
      paper = JSON.parse(GkChaCha.open(c.key, box.nonce, box.sealed, box.counter));
      paperOf = c.attempt;
      index = 0;
      answers = {};
      // What the server acknowledged; answers still waiting here stay newer.
      Object.keys(c.saved || {}).forEach(function (pos) {
        var s = c.saved[pos];
        answers[pos] = { choice: s[0], marked: s[1] };
        if (parseInt(localStorage.getItem(seqKey(c.attempt)) || "0", 10) < s[2]) {
          localStorage.setItem(seqKey(c.attempt), String(s[2]));
        }
      });
      queue.filter(function (q) { return q.attempt === c.attempt; }).forEach(function (q) {
        answers[q.position] = { choice: q.choice, marked: q.marked };
      });
      $("subject").textContent = paper.subject;
      drawQuestion();
    }
    drawNavigator();
  }

  function drawQuestion() {
    var q = paper.questions[index], box = $("question");
    var kinds = { single: "单选题", multiple: "多选题（选两项或以上）", judge: "判断题" };
    var mine = answers[q.n] || { choice: "", marked: false };
    box.textContent = "";
    var head = document.createElement("h2");
    head.textContent = "第" + q.n + "题（共" + paper.questions.length + "题） · " + kinds[q.kind] + " · " + q.points + "分";
    var stem = document.createElement("p");
    stem.className = "cbt-stem"; stem.textContent = q.stem;
    var fieldset = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.className = "visually-hidden"; legend.textContent = "选项";
    fieldset.appendChild(legend);
    q.options.forEach(function (opt, i) {
      var label = document.createElement("label"), input = document.createElement("input");
      input.type = q.kind === "multiple" ? "checkbox" : "radio";
      input.name = "q" + q.n; input.value = opt[0];
      input.checked = mine.choice.indexOf(opt[0]) !== -1;
      input.addEventListener("change", function () { choose(q); });
      label.className = "cbt-option";
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (q.kind === "judge" ? "" : String.fromCharCode(65 + i) + ". ") + opt[1]));
      fieldset.appendChild(label);
    });
    box.appendChild(head); box.appendChild(stem); box.appendChild(fieldset);
    $("mark").textContent = mine.marked ? "取消标记" : "标记本题";
    $("prev").disabled = index === 0;
    $("next").disabled = index === paper.questions.length - 1;
  }

  function drawNavigator() {
    var nav = $("navigator");
    nav.textContent = "";
    var legend = document.createElement("p");
    legend.className = "small";
    var done = paper.questions.filter(function (q) { return (answers[q.n] || {}).choice; }).length;
    legend.textContent = "已答" + done + "题，未答" + (paper.questions.length - done) + "题";
    nav.appendChild(legend);
    paper.questions.forEach(function (q, i) {
      var b = document.createElement("button"), a = answers[q.n] || {};
      b.type = "button"; b.textContent = q.n;
      b.className = "cbt-nav-item" + (a.choice ? " answered" : "") + (a.marked ? " marked" : "") + (i === index ? " current" : "");
      b.setAttribute("aria-label", "第" + q.n + "题" + (a.choice ? "，已答" : "，未答") + (a.marked ? "，已标记" : ""));
      b.addEventListener("click", function () { index = i; drawQuestion(); drawNavigator(); });
      nav.appendChild(b);
    });
  }

  function choose(q) {
    var picked = Array.prototype.slice.call(document.querySelectorAll("input[name=q" + q.n + "]:checked"))
      .map(function (el) { return el.value; }).sort().join("");
    var mine = answers[q.n] || { marked: false };
    answers[q.n] = { choice: picked, marked: mine.marked };
    enqueue(q.n);
    drawNavigator();
  }

  function enqueue(position) {
    var a = answers[position];
    queue.push({ attempt: st.current.attempt, position: position, choice: a.choice, marked: a.marked, seq: nextSeq(st.current.attempt) });
    $("saved").textContent = "正在保存…";
    pump();
  }

  function pump() {
    if (sending || !queue.length) { return; }
    sending = true;
    var item = queue[0];
    post(urls.answer, item)
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (res) {
        sending = false;
        setOnline(true);
        if (res.body.ok) {
          queue.shift();
          var t = new Date(res.body.saved_at);
          $("saved").textContent = queue.length ? "正在保存…" : "已保存 " + t.toLocaleTimeString("zh-CN", { hour12: false });
          pump();
        } else if (res.body.paused) {
          // Kept in order: sent again once the proctor resumes.
          loadState();
          setTimeout(pump, 3000);
        } else {
          queue = queue.filter(function (q) { return q.attempt !== item.attempt; });
          message(res.body.error);
          loadState();
        }
      })
      .catch(function () {
        sending = false;
        setOnline(false);
        setTimeout(pump, 2000);
      });
  }

  function setOnline(on) {
    $("net").hidden = on;
    if (!on) { $("saved").textContent = "未保存（网络断开，" + queue.length + "个答案待提交）"; }
  }

  function finish() {
    show("finished");
    var body = $("scores"), any = false;
    body.textContent = "";
    st.subjects.forEach(function (s) {
      var tr = document.createElement("tr");
      [s.name, s.score === null ? "—" : s.score, s.passed === null ? "" : (s.passed ? "合格" : "不合格")].forEach(function (text) {
        var td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      });
      if (s.score !== null) { any = true; }
      body.appendChild(tr);
    });
    $("scores-note").textContent = any ? "以上为交卷时系统评定的成绩，以工考办公布的成绩为准。" : "成绩由工考办统一公布。";
    localStorage.clear();
    sessionStorage.clear();
  }

  function tick() {
    var left = remaining();
    if (left !== null && st && st.current && st.current.key) {
      $("timer").textContent = "剩余时间 " + clock(left);
      $("timer").classList.toggle("urgent", left < 5 * 60 * 1000);
      if (left <= 0 && st.current.state === "answering") {
        $("timer").textContent = "时间到，正在交卷…";
        // Once per state: the server closes the attempt, the next state shows it.
        if (timeUpFor !== st) { timeUpFor = st; schedule(1500); }
      }
    }
  }

  $("confirm-ok").addEventListener("click", function () {
    confirmed = true; sessionStorage.setItem("gk-confirmed", "1"); render();
  });
  $("prev").addEventListener("click", function () { if (index > 0) { index--; drawQuestion(); drawNavigator(); } });
  $("next").addEventListener("click", function () { if (index < paper.questions.length - 1) { index++; drawQuestion(); drawNavigator(); } });
  $("mark").addEventListener("click", function () {
    var q = paper.questions[index], a = answers[q.n] || { choice: "", marked: false };
    answers[q.n] = { choice: a.choice, marked: !a.marked };
    enqueue(q.n); drawQuestion(); drawNavigator();
  });
  $("submit").addEventListener("click", function () {
    var missing = paper.questions.filter(function (q) { return !(answers[q.n] || {}).choice; }).map(function (q) { return q.n; });
    var wait = st.current.earliest_submit_ms - (performance.now() - fetchedAt);
    if (wait > 0) { message("开考" + Math.ceil(wait / 60000) + "分钟后才能交卷。"); return; }
    $("submit-text").textContent = missing.length
      ? "还有" + missing.length + "题未答（第" + missing.join("、") + "题）。交卷后不能再修改，确认交卷吗？"
      : "全部题目已作答。交卷后不能再修改，确认交卷吗？";
    $("submit-confirm").hidden = false;
    $("submit-yes").focus();
  });
  $("submit-no").addEventListener("click", function () { $("submit-confirm").hidden = true; });
  $("submit-yes").addEventListener("click", function () {
    $("submit-confirm").hidden = true;
    var attempt = st.current.attempt, tries = 0;
    (function flushThenSubmit() {
      if (queue.length && tries++ < 20) { pump(); setTimeout(flushThenSubmit, 300); return; }
      post(urls.submit, { attempt: attempt })
        .then(function (r) { return r.json(); })
        .then(function (body) { if (!body.ok) { message(body.error); } else { message(""); } paperOf = null; loadState(); })
        .catch(function () { setOnline(false); });
    })();
  });
  document.addEventListener("keydown", function (e) {
    if (!paper || $("answering").hidden || e.target.tagName === "BUTTON") { return; }
    if (e.key === "ArrowRight" || e.key === "PageDown") { $("next").click(); }
    if (e.key === "ArrowLeft" || e.key === "PageUp") { $("prev").click(); }
  });
  window.addEventListener("online", pump);
  setInterval(tick, 250);
  loadState();
})();
