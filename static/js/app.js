// Warn before leaving a page with unsaved form changes (forms marked data-unsaved-guard).
(function () {
  let dirty = false;
  document.addEventListener("input", function (e) {
    if (e.target.closest("form[data-unsaved-guard]")) dirty = true;
  });
  document.addEventListener("submit", function () { dirty = false; });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.successful && e.target.closest && e.target.closest("form[data-unsaved-guard]")) dirty = false;
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  window.portalMarkClean = function () { dirty = false; };
})();
// Confirm destructive actions: <button data-confirm="确定删除？"> asks when it is clicked;
// <form data-confirm="…"> asks when the form is sent, never when one of its fields is clicked.
document.addEventListener("click", function (e) {
  const el = e.target.closest("[data-confirm]");
  if (!el || el.tagName === "FORM") return;
  if (!window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopPropagation(); }
}, true);
document.addEventListener("submit", function (e) {
  const form = e.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
    e.preventDefault(); e.stopPropagation();
  }
}, true);
// A form with several decisions (<form data-explicit-submit>) is never sent by Enter in a text
// box, which would pick its first button: the user presses the decision's own button.
document.addEventListener("keydown", function (e) {
  if (e.key === "Enter" && e.target.matches("form[data-explicit-submit] input")) e.preventDefault();
});
// Phones: every data table with one simple heading row reads as stacked rows (see app.css);
// each cell is labelled with its column's heading. Opt out with data-no-stack.
(function () {
  function stack(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.hasAttribute("data-no-stack")) return;
      const rows = table.tHead ? table.tHead.rows : [];
      if (rows.length !== 1 || !table.tBodies.length) return;
      const heads = Array.from(rows[0].cells);
      if (heads.some(function (th) { return th.colSpan > 1 || th.rowSpan > 1; })) return;
      const labels = heads.map(function (th) { return th.textContent.trim(); });
      Array.from(table.tBodies).forEach(function (body) {
        Array.from(body.rows).forEach(function (tr) {
          Array.from(tr.cells).forEach(function (cell, i) {
            if (cell.colSpan === 1 && labels[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", labels[i]);
          });
        });
      });
      table.classList.add("table-stack");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { stack(document); });
  document.addEventListener("htmx:afterSwap", function (e) { stack(e.target.closest("table") ? e.target.closest("table").parentNode : e.target); });
})();
// The site runs under a Content-Security-Policy without 'unsafe-inline' scripts: templates never
// carry onclick=/onchange=/onsubmit=; they mark elements with data- attributes handled here.
// <select data-autosubmit>: choosing an option submits its form (filters, year pickers).
document.addEventListener("change", function (e) {
  const el = e.target;
  if (!el.matches) return;
  if (el.matches("[data-autosubmit]") && el.form) {
    el.form.submit();
  } else if (el.matches("select[data-period-select]") && el.form) {
    // "2026-3" → the form's year and month fields, then submit.
    const parts = el.value.split("-");
    if (parts.length === 2 && el.form.year && el.form.month) {
      el.form.year.value = parts[0];
      el.form.month.value = parts[1];
      el.form.submit();
    }
  } else if (el.matches("input[type=checkbox][data-check-all]")) {
    // <input type="checkbox" data-check-all="entry">: (un)ticks every checkbox named "entry".
    const name = el.getAttribute("data-check-all");
    document.querySelectorAll("input[type=checkbox]").forEach(function (c) {
      if (c.name === name) c.checked = el.checked;
    });
  }
});
// <button data-print>: print the page.
document.addEventListener("click", function (e) {
  const el = e.target.closest && e.target.closest("[data-print]");
  if (el) { e.preventDefault(); window.print(); }
});
// <input type="file" data-file-count="ID">: a Chinese count of the chosen files in element ID,
// beside a styled label (the browser's own "choose file" text is in the browser's language).
document.addEventListener("change", function (e) {
  const input = e.target.closest("input[type=file][data-file-count]");
  if (!input) return;
  const out = document.getElementById(input.getAttribute("data-file-count"));
  if (out) out.textContent = input.files.length ? "已选 " + input.files.length + " 张" : "未选择照片";
});
// The evidence dialog of the ledger pages: opened when htmx has put a cell's evidence panel in
// it, closed by its [data-close-dialog] button or Esc (the browser's own).
document.addEventListener("htmx:afterSwap", function (e) {
  if (e.target.id !== "evidence-dialog-body") return;
  const dialog = document.getElementById("evidence-dialog");
  if (dialog && !dialog.open) dialog.showModal();
});
document.addEventListener("click", function (e) {
  const el = e.target.closest && e.target.closest("[data-close-dialog]");
  if (!el) return;
  const dialog = el.closest("dialog");
  if (dialog) dialog.close();
});
// <select data-region-picker>: a search box above it narrows its options (townships and their
// villages) to those whose name, township or division code matches what is typed.
(function () {
  function attach(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "输入乡镇、村名称或区划代码搜索";
    box.setAttribute("aria-label", "搜索区划");
    box.setAttribute("data-testid", "region-search");
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      const q = box.value.trim();
      let first = null;
      select.querySelectorAll("optgroup").forEach(function (group) {
        const groupHit = q && group.label.indexOf(q) !== -1;
        let shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          const hit = !q || groupHit || option.text.indexOf(q) !== -1 || (option.dataset.code || "").indexOf(q) === 0;
          option.hidden = !hit;
          if (hit) { shown += 1; if (!first) first = option; }
        });
        group.hidden = shown === 0;
      });
      const current = select.selectedOptions[0];
      if (q && first && (!current || current.hidden || !current.value)) select.value = first.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-region-picker]").forEach(attach);
  });
})();
// A form that files something under a star of a village (select[data-star-names]) names the
// stars in the variant of the village picked in the same form (select[data-region-kinds]): a
// community reads 宜业兴业星 where a rural village reads 产业兴旺星.
document.addEventListener("change", function (e) {
  const picker = e.target.closest("select[data-region-kinds]");
  if (!picker || !picker.form) return;
  const kind = JSON.parse(picker.getAttribute("data-region-kinds"))[picker.value] || "rural";
  picker.form.querySelectorAll("select[data-star-names]").forEach(function (select) {
    // A row's star follows its own village (data-star-for names the village field).
    const owner = select.getAttribute("data-star-for");
    if (owner && owner !== picker.name) return;
    const names = JSON.parse(select.getAttribute("data-star-names"))[kind] || {};
    for (const option of select.options) if (names[option.value]) option.textContent = names[option.value];
  });
});
// Long sections marked <details open data-fold-on-phone> are folded on a phone: the page shows
// their titles and counts, and a tap opens the one wanted.
if (window.matchMedia("(max-width: 575.98px)").matches) {
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) { d.open = false; });
}
