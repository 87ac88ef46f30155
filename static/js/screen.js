// The meeting-room screen (reports/screen.html): draws the star-level chart from the body's
// <script id="screen-data" type="application/json">, and again after each htmx refresh of the body.
// A refresh answered by anything but the screen itself (the session ended and the login page came
// back, the role was taken away) reloads the whole page, so the wall shows that page instead of a
// login form squeezed into the body.
(function () {
  var COLOURS = ["#6c7a91", "#7fb3ff", "#4f8df7", "#20c997", "#f0ad00", "#ff5a5f"];
  var chart = null;

  function draw() {
    var el = document.getElementById("screen-levels");
    var source = document.getElementById("screen-data");
    if (chart) { chart.dispose(); chart = null; }
    if (!window.echarts || !el || !source) return;
    var levels = JSON.parse(source.textContent);
    var size = Math.max(12, Math.round(window.innerHeight / 45));
    chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption({
      animation: false, textStyle: {fontSize: size, color: "#eef2f7"},
      grid: {left: 10, right: 10, top: size * 2, bottom: 10, containLabel: true},
      xAxis: {type: "category", data: levels.map(function (l) { return l.level + "星"; }),
              axisLabel: {fontSize: size, color: "#eef2f7"}, axisLine: {lineStyle: {color: "#3b5b8f"}}},
      yAxis: {type: "value", minInterval: 1, axisLabel: {fontSize: Math.round(size * 0.8), color: "#a8b3c4"},
              splitLine: {lineStyle: {color: "#1f3b6b"}}},
      series: [{type: "bar", barWidth: "60%",
                data: levels.map(function (l) { return {value: l.count, itemStyle: {color: COLOURS[l.level]}}; }),
                label: {show: true, position: "top", fontSize: size, fontWeight: "bold", color: "#eef2f7"}}]
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var asked = new URL(e.detail.requestConfig.path, window.location.href).pathname;
    var answered = e.detail.xhr.responseURL ? new URL(e.detail.xhr.responseURL).pathname : asked;
    if (e.detail.xhr.status !== 200 || answered !== asked) {
      e.detail.shouldSwap = false;
      window.location.reload();
    }
  });
  document.body.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
})();
