// The trend pages' charts (reports/trends_region.html, reports/trends_village.html), drawn from
// the page's <script id="trend-data" type="application/json">. Each chart is drawn only when its
// element is on the page; the tables beside them carry the same figures for reading and printing.
(function () {
  var source = document.getElementById("trend-data");
  if (!window.echarts || !source) return;
  var data = JSON.parse(source.textContent);
  var LEVEL_COLOURS = ["#adb5bd", "#9ec5fe", "#6ea8fe", "#20c997", "#f0ad00", "#c8102e"];
  var STAR_COLOURS = ["#c8102e", "#f0ad00", "#198754", "#0d6efd", "#6f42c1"];
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el);
    chart.setOption(Object.assign({animation: false}, option));
    charts.push(chart);
    return chart;
  }

  function rankAxis(max) {
    return {type: "value", inverse: true, min: 1, max: Math.max(max || 2, 2), minInterval: 1,
            axisLabel: {formatter: "第{value}名"}};
  }

  var months = data.months || [];
  // Every month labelled (a year has at most twelve), the running month as "12月（实时）".
  function monthAxis() {
    return {type: "category", data: months, axisLabel: {interval: 0, fontSize: 11, hideOverlap: true}};
  }
  if (data.levels) {
    // Stacked: each month's bar is all its villages, split by star level.
    draw("chart-levels", {
      tooltip: {trigger: "axis"}, legend: {top: 0, type: "scroll"},
      grid: {containLabel: true, left: 10, right: 10, top: 40, bottom: 30},
      xAxis: monthAxis(), yAxis: {type: "value", minInterval: 1},
      series: data.levels.map(function (counts, level) {
        return {name: level + "星", type: "bar", stack: "levels", data: counts, itemStyle: {color: LEVEL_COLOURS[level]}};
      })
    });
  }
  if (data.stars && data.stars.length && data.stars[0].rates) {
    draw("chart-stars", {
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; }},
      legend: {top: 0, type: "scroll"}, grid: {containLabel: true, left: 10, right: 10, top: 40, bottom: 30},
      xAxis: monthAxis(), yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
      series: data.stars.map(function (s, i) {
        return {name: s.name, type: "line", data: s.rates, connectNulls: false, itemStyle: {color: STAR_COLOURS[i]}};
      })
    });
  }
  if (data.league) {
    // A bump chart: one line per township, rank 1 at the top.
    draw("chart-league", {
      tooltip: {trigger: "axis"}, legend: {type: "scroll", top: 0},
      grid: {containLabel: true, left: 10, right: 90, top: 40, bottom: 30},
      xAxis: Object.assign(monthAxis(), {boundaryGap: false}),
      yAxis: rankAxis(data.league.length),
      series: data.league.map(function (t) {
        return {name: t.name, type: "line", data: t.ranks, symbolSize: 8,
                endLabel: {show: true, formatter: "{a}"}, emphasis: {focus: "series"}};
      })
    });
  }
  if (data.own_rank) {
    draw("chart-own-rank", {
      tooltip: {trigger: "axis"}, grid: {containLabel: true, left: 10, right: 20, top: 30, bottom: 30},
      xAxis: monthAxis(), yAxis: rankAxis(data.townships),
      series: [{name: "全县排名", type: "line", data: data.own_rank, symbolSize: 8, itemStyle: {color: "#c8102e"},
                label: {show: true, formatter: "第{c}名"}}]
    });
  }
  if (data.own) {
    var compare = draw("chart-compare", {});
    var select = document.getElementById("compare-month");
    var ownLabel = data.own_label || "本村";  // 本社区 for a community
    var showMonth = function (i) {
      if (!compare) return;
      compare.setOption({
        tooltip: {trigger: "axis"}, legend: {top: 0, type: "scroll", data: [ownLabel, "乡镇平均"]},
        grid: {containLabel: true, left: 10, right: 10, top: 40, bottom: 30},
        // On a phone the five names do not fit side by side: each breaks after its first two characters.
        xAxis: {type: "category", data: data.stars, axisLabel: {interval: 0, fontSize: 11, formatter: function (name) {
          return compare.getWidth() < 520 ? name.slice(0, 2) + "\n" + name.slice(2) : name;
        }}},
        yAxis: {type: "value", name: "得分", min: 0, max: 100},
        series: [
          {name: ownLabel, type: "bar", data: data.own.map(function (row) { return row[i]; }), itemStyle: {color: "#c8102e"}},
          {name: "乡镇平均", type: "bar", data: data.average.map(function (row) { return row[i]; }), itemStyle: {color: "#adb5bd"}}
        ]
      }, true);
    };
    showMonth(months.length - 1);
    if (select) select.addEventListener("change", function () { showMonth(parseInt(select.value, 10)); });
    // The axis runs to the number of villages ranked, so that first place reads as first of many.
    var worst = Math.max.apply(null, (data.county_rank || []).concat(data.township_rank || [], data.county_sizes || [])
      .filter(function (v) { return v != null; }).concat([2]));
    draw("chart-ranks", {
      tooltip: {trigger: "axis"}, legend: {top: 0, type: "scroll"}, grid: {containLabel: true, left: 10, right: 20, top: 40, bottom: 30},
      xAxis: monthAxis(), yAxis: rankAxis(worst),
      series: [
        {name: "乡镇内排名", type: "line", data: data.township_rank, symbolSize: 8, itemStyle: {color: "#198754"}},
        {name: "全县排名", type: "line", data: data.county_rank, symbolSize: 8, itemStyle: {color: "#c8102e"}}
      ]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
