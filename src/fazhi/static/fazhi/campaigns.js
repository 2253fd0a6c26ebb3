// The campaign dashboard's bar chart: applications per org, stacked by state (data from json_script).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("org-chart");
  var source = document.getElementById("org-chart-data");
  if (!box || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 40, right: 10, bottom: 60, top: 40 },
    xAxis: { type: "category", data: data.orgs, axisLabel: { interval: 0, rotate: data.orgs.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "states", data: s.data }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
