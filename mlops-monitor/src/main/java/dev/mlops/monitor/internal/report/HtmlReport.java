package dev.mlops.monitor.internal.report;

import dev.mlops.monitor.DriftImpact;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ReportData} as one self-contained HTML page: inline CSS and SVG, no script, no
 * external reference. Embedded data is capped: at most {@link #MAX_BARS} bars per histogram and
 * {@link #MAX_POINTS} points per chart (evenly downsampled, the last point kept).
 */
public final class HtmlReport {
  public static final int MAX_BARS = 20;
  public static final int MAX_POINTS = 60;
  private static final String BASE = "#4c78a8";
  private static final String CUR = "#f58518";

  private HtmlReport() {}

  public static String render(ReportData d) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Monitor report: ")
        .append(esc(d.table())).append("</title>\n<style>")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222}")
        .append("h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}")
        .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}")
        .append(".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px}")
        .append(".card b{display:block;font-size:20px}.col{display:inline-block;vertical-align:top;margin:8px;")
        .append("border:1px solid #eee;border-radius:6px;padding:6px}.drifted{border-color:#e45756}")
        .append(".tag{font-size:11px;padding:1px 6px;border-radius:8px;background:#eee}.tag.bad{background:#e45756;color:#fff}")
        .append(".legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}")
        .append("rect.b{fill:").append(BASE).append("}rect.c{fill:").append(CUR).append("}circle{fill:").append(CUR)
        .append("}svg.chart{margin:4px 16px 0 0;overflow:visible}</style></head><body>\n");
    h.append("<h1>Monitor report: ").append(esc(d.table())).append("</h1><p>Generated ").append(esc(d.generatedAt()))
        .append("</p>\n<h2 id=\"summary\">Summary</h2><div class=\"cards\">");
    for (Map.Entry<String, String> e : d.summary().entrySet()) {
      h.append("<div class=\"card\">").append(esc(e.getKey())).append("<b>").append(esc(e.getValue()))
          .append("</b></div>");
    }
    h.append("</div>\n<h2 id=\"impact\">Drift impact through lineage</h2>");
    if (d.impact().isEmpty()) {
      h.append("<p>No drifted column in the latest window.</p>");
    } else {
      h.append("<table class=\"impact\"><tr><th>column</th><th>statistic</th><th>upstream tables</th>")
          .append("<th>feature tables</th><th>training sets</th><th>model versions (aliases)</th></tr>");
      for (DriftImpact i : d.impact()) {
        h.append("<tr><td>").append(esc(i.column())).append("</td><td>").append(esc(i.statistic())).append(' ')
            .append(num(i.value())).append(" (thr ").append(num(i.threshold())).append(")</td><td>")
            .append(esc(String.valueOf(i.upstreamTables()))).append("</td><td>")
            .append(esc(String.valueOf(i.featureTables()))).append("</td><td>")
            .append(esc(String.valueOf(i.trainingSets()))).append("</td><td>")
            .append(esc(String.valueOf(i.models()))).append("</td></tr>");
      }
      h.append("</table>");
    }
    h.append("\n<h2 id=\"columns\">Columns</h2><div class=\"legend\"><span style=\"background:").append(BASE)
        .append("\"></span>baseline<span style=\"background:").append(CUR).append("\"></span>current window</div>");
    for (ReportData.ColumnData c : d.columns()) {
      h.append("<div class=\"col").append(c.drifted() ? " drifted" : "").append("\" data-column=\"")
          .append(esc(c.name())).append("\"><div><b>").append(esc(c.name())).append("</b> <span class=\"tag\">")
          .append(esc(c.type())).append("</span> ");
      if (c.drifted()) {
        h.append("<span class=\"tag bad\">drift</span>");
      }
      h.append("</div>");
      histogram(h, c.bars());
      line(h, "drift", c.statistic(), c.drift(), c.threshold());
      h.append("</div>\n");
    }
    h.append("<h2 id=\"quality\">Model quality over time</h2>");
    if (d.quality().isEmpty()) {
      h.append("<p>No model-quality metrics (no labels, or not an inference log).</p>");
    }
    for (ReportData.Series s : d.quality()) {
      h.append("<div class=\"col\"><b>").append(esc(s.name())).append("</b>");
      line(h, "quality", s.name(), s.points(), Double.NaN);
      h.append("</div>");
    }
    h.append("\n<h2 id=\"settings\">Settings</h2><table class=\"settings\">");
    for (Map.Entry<String, String> e : d.settings().entrySet()) {
      h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue())).append("</td></tr>");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static void histogram(StringBuilder h, List<ReportData.Bar> bars) {
    List<ReportData.Bar> b = bars.size() > MAX_BARS ? bars.subList(0, MAX_BARS) : bars;
    int w = 280;
    int ht = 110;
    h.append("<svg class=\"chart histogram\" width=\"").append(w).append("\" height=\"").append(ht + 14)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht + 14).append("\" role=\"img\">");
    if (b.isEmpty()) {
      h.append("<text x=\"4\" y=\"20\" font-size=\"11\">no histogram</text></svg>");
      return;
    }
    double max = 1e-12;
    for (ReportData.Bar x : b) {
      max = Math.max(max, Math.max(nz(x.baseline()), nz(x.current())));
    }
    double slot = (double) w / b.size();
    double bw = Math.max(1, Math.floor(slot / 2) - 1);
    for (int i = 0; i < b.size(); i++) {
      ReportData.Bar x = b.get(i);
      double x0 = i * slot;
      rect(h, x0, ht, bw, nz(x.baseline()) / max * (ht - 4), "b", x.label() + " baseline " + num(x.baseline()));
      rect(h, x0 + bw, ht, bw, nz(x.current()) / max * (ht - 4), "c", x.label() + " current " + num(x.current()));
    }
    h.append("<text x=\"0\" y=\"").append(ht + 12).append("\" font-size=\"10\">").append(esc(b.get(0).label()))
        .append("</text><text x=\"").append(w).append("\" y=\"").append(ht + 12)
        .append("\" font-size=\"10\" text-anchor=\"end\">").append(esc(b.get(b.size() - 1).label()))
        .append("</text></svg>");
  }

  private static void rect(StringBuilder h, double x, double base, double w, double height, String cls, String t) {
    h.append("<rect class=\"").append(cls).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(base - height))
        .append("\" width=\"").append(f(w)).append("\" height=\"").append(f(height)).append("\"><title>")
        .append(esc(t)).append("</title></rect>");
  }

  /** Downsamples evenly to at most {@link #MAX_POINTS}, keeping the last point. */
  static List<ReportData.Point> cap(List<ReportData.Point> pts) {
    if (pts.size() <= MAX_POINTS) {
      return pts;
    }
    List<ReportData.Point> out = new ArrayList<>();
    double step = (pts.size() - 1) / (double) (MAX_POINTS - 1);
    for (int i = 0; i < MAX_POINTS; i++) {
      out.add(pts.get((int) Math.round(i * step)));
    }
    return out;
  }

  private static void line(StringBuilder h, String kind, String name, List<ReportData.Point> all, double threshold) {
    List<ReportData.Point> pts = new ArrayList<>();
    for (ReportData.Point p : cap(all)) {
      if (!Double.isNaN(p.value())) {
        pts.add(p);
      }
    }
    int w = 280;
    int ht = 90;
    h.append("<svg class=\"chart ").append(kind).append("\" width=\"").append(w).append("\" height=\"").append(ht + 14)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht + 14).append("\" role=\"img\"><title>")
        .append(esc(name)).append(" over time</title>");
    if (pts.isEmpty()) {
      h.append("<text x=\"4\" y=\"20\" font-size=\"11\">no ").append(kind).append(" values yet</text></svg>");
      return;
    }
    double lo = Double.isNaN(threshold) ? Double.POSITIVE_INFINITY : threshold;
    double hi = Double.isNaN(threshold) ? Double.NEGATIVE_INFINITY : threshold;
    for (ReportData.Point p : pts) {
      lo = Math.min(lo, p.value());
      hi = Math.max(hi, p.value());
    }
    if (hi - lo < 1e-12) {
      hi = lo + 1;
    }
    long t0 = pts.get(0).at().toEpochMilli();
    long t1 = pts.get(pts.size() - 1).at().toEpochMilli();
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < pts.size(); i++) {
      ReportData.Point p = pts.get(i);
      double x = t1 == t0 ? w / 2.0 : 6 + (p.at().toEpochMilli() - t0) / (double) (t1 - t0) * (w - 12);
      double y = 4 + (hi - p.value()) / (hi - lo) * (ht - 8);
      path.append(i == 0 ? "M" : " L").append(f(x)).append(',').append(f(y));
      h.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"2\"/>");
    }
    ReportData.Point last = pts.get(pts.size() - 1);
    h.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(CUR)
        .append("\" stroke-width=\"1.5\"><title>").append(esc(pts.get(0).at() + " .. " + last.at() + ", last "
        + num(last.value()))).append("</title></path>");
    if (!Double.isNaN(threshold)) {
      double y = 4 + (hi - threshold) / (hi - lo) * (ht - 8);
      h.append("<line class=\"threshold\" x1=\"0\" x2=\"").append(w).append("\" y1=\"").append(f(y)).append("\" y2=\"")
          .append(f(y)).append("\" stroke=\"#e45756\" stroke-dasharray=\"4 3\"/>");
    }
    h.append("<text x=\"0\" y=\"").append(ht + 12).append("\" font-size=\"10\">").append(esc(name)).append(" ")
        .append(num(lo)).append("–").append(num(hi)).append("</text></svg>");
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static String f(double v) {
    return Long.toString(Math.round(v));
  }

  static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
  }

  static String esc(String s) {
    StringBuilder o = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> o.append("&lt;");
        case '>' -> o.append("&gt;");
        case '&' -> o.append("&amp;");
        case '"' -> o.append("&quot;");
        case '\'' -> o.append("&#39;");
        default -> o.append(c);
      }
    }
    return o.toString();
  }
}
