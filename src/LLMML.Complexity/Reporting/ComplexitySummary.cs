using System.Globalization;
using System.Text;

namespace LLMML.Complexity.Reporting;

/// <summary>
/// A Markdown summary of several task reports, the form the README and docs/complexity.md quote: per task and model
/// the plain prompt's score, the best run and C(δ) under both accountings (our program bytes | the paper's script
/// sizes) and with the prequential epoch chosen on the test split; then the ratios between models and the seconds
/// each strategy took.
/// </summary>
public static class ComplexitySummary
{
    public static string Markdown(IReadOnlyList<ComplexityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var text = new StringBuilder();
        var targets = reports.SelectMany(r => r.Targets).Distinct().Order().ToArray();
        text.AppendLine("C(δ) in bits, three ways: **ours** (the bytes of our inference programs) | the paper's script sizes (369 / 463 /")
            .AppendLine("713 / 354 / 1,047 bytes; ours where it has none) | ours with the prequential epoch chosen on the test split (optimistic).")
            .AppendLine();
        text.Append("| task | model | plain | best run | ").AppendJoin(" | ", targets.Select(t => $"C({Number(t)})")).AppendLine(" |");
        text.Append("|---|---|---|---|").Append(string.Concat(targets.Select(_ => "---|"))).AppendLine();
        foreach (var report in reports)
            foreach (var model in report.Models)
            {
                var runs = report.Runs.Where(r => r.Model == model).ToArray();
                var plain = runs.FirstOrDefault(r => r.Strategy == "plain");
                var best = runs.Where(r => r.Selected).OrderByDescending(r => r.Score).ThenBy(r => r.Bits).FirstOrDefault();
                text.Append($"| {report.Task} | {model} | {(plain is null ? "—" : Percent(plain.Score))} | ")
                    .Append(best is null ? "—" : $"{Percent(best.Score)} ({best.Strategy} {best.Configuration}, {Bits(best.Bits)})")
                    .Append(" | ")
                    .AppendJoin(" | ", targets.Select(t => report.Targets.Contains(t)
                        ? $"**{Bits(report.Complexity(model, t))}** \\| {Bits(report.Complexity(model, t, Accounting.Paper))} \\| {Bits(report.Complexity(model, t, Accounting.Ours, true))}"
                        : "—"))
                    .AppendLine(" |");
            }
        text.AppendLine().AppendLine("Ratios C_a(δ) / C_b(δ): ours | paper's script sizes | epoch chosen on test.").AppendLine();
        text.Append("| task | ratio | ").AppendJoin(" | ", targets.Select(t => $"δ = {Number(t)}")).AppendLine(" |");
        text.Append("|---|---|").Append(string.Concat(targets.Select(_ => "---|"))).AppendLine();
        foreach (var report in reports)
            for (var i = 0; i < report.Models.Count; i++)
                for (var j = i + 1; j < report.Models.Count; j++)
                {
                    var (a, b) = (report.Models[i], report.Models[j]);
                    text.Append($"| {report.Task} | {a} / {b} | ")
                        .AppendJoin(" | ", targets.Select(t => report.Targets.Contains(t)
                            ? $"**{Ratio(report.Ratio(a, b, t))}** \\| {Ratio(report.Ratio(a, b, t, Accounting.Paper))} \\| {Ratio(report.Ratio(a, b, t, Accounting.Ours, true))}"
                            : "—"))
                        .AppendLine(" |");
                }
        text.AppendLine().AppendLine("Seconds per strategy (building and scoring its programs, all models):").AppendLine();
        var strategies = reports.SelectMany(r => r.SecondsPerStrategy().Select(s => s.Strategy)).Distinct().ToArray();
        text.Append("| task | ").AppendJoin(" | ", strategies).AppendLine(" | total |");
        text.Append("|---|").Append(string.Concat(strategies.Select(_ => "---|"))).AppendLine("---|");
        foreach (var report in reports)
        {
            var seconds = report.SecondsPerStrategy().ToDictionary(s => s.Strategy, s => s.Seconds);
            text.Append($"| {report.Task} | ")
                .AppendJoin(" | ", strategies.Select(s => seconds.TryGetValue(s, out var v) ? v.ToString("F0", CultureInfo.InvariantCulture) : "—"))
                .AppendLine($" | {seconds.Values.Sum().ToString("F0", CultureInfo.InvariantCulture)} |");
        }
        return text.ToString();
    }

    /// <summary>"312 bit", "9.5 kbit", "13.23 Mbit", or "not reached".</summary>
    public static string Bits(long? bits) => bits switch
    {
        null => "not reached",
        < 10_000 => $"{bits.Value.ToString("N0", CultureInfo.InvariantCulture)} bit",
        < 1_000_000 => $"{(bits.Value / 1e3).ToString("0.#", CultureInfo.InvariantCulture)} kbit",
        _ => $"{(bits.Value / 1e6).ToString("0.##", CultureInfo.InvariantCulture)} Mbit",
    };

    private static string Ratio(double? ratio) => ratio is { } x ? x.ToString(x >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Percent(double score) => (100 * score).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
