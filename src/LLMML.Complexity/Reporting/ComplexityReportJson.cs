using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LLMML.Complexity.Reporting;

/// <summary>The JSON form of a <see cref="ComplexityReport"/>.</summary>
internal static class ComplexityReportJson
{
    public static string Write(ComplexityReport report)
    {
        var models = new JsonArray();
        foreach (var model in report.Models)
        {
            JsonObject Complexity(Accounting accounting, bool chosenOnTest)
            {
                var result = new JsonObject();
                foreach (var target in report.Targets) result[Key(target)] = report.Complexity(model, target, accounting, chosenOnTest);
                return result;
            }
            models.Add(new JsonObject
            {
                ["name"] = model,
                ["bestScore"] = Finite(report.BestScore(model)),
                ["complexity"] = Complexity(Accounting.Ours, false),
                ["complexityPaperScripts"] = Complexity(Accounting.Paper, false),
                ["complexityChosenOnTest"] = Complexity(Accounting.Ours, true),
                ["frontier"] = new JsonArray(report.Frontier(model).Select(Run).ToArray<JsonNode?>()),
            });
        }
        var ratios = new JsonArray();
        for (var i = 0; i < report.Models.Count; i++)
            for (var j = i + 1; j < report.Models.Count; j++)
                foreach (var target in report.Targets)
                    ratios.Add(new JsonObject
                    {
                        ["numerator"] = report.Models[i], ["denominator"] = report.Models[j], ["target"] = target,
                        ["ratio"] = report.Ratio(report.Models[i], report.Models[j], target),
                        ["ratioPaperScripts"] = report.Ratio(report.Models[i], report.Models[j], target, Accounting.Paper),
                        ["ratioChosenOnTest"] = report.Ratio(report.Models[i], report.Models[j], target, Accounting.Ours, true),
                    });
        var root = new JsonObject
        {
            ["task"] = report.Task,
            ["metric"] = report.Metric,
            ["targets"] = new JsonArray(report.Targets.Select(t => (JsonNode?)t).ToArray()),
            ["models"] = models,
            ["ratios"] = ratios,
            ["secondsPerStrategy"] = new JsonObject(report.SecondsPerStrategy().Select(s => KeyValuePair.Create(s.Strategy, (JsonNode?)Math.Round(s.Seconds, 1)))),
            // Each inference program's text once; runs name theirs ("program").
            ["programs"] = new JsonObject(report.Runs.GroupBy(r => r.ProgramFile.Length > 0 ? r.ProgramFile : r.Strategy)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.First().FixedCode))),
            ["runs"] = new JsonArray(report.Runs.Select(Run).ToArray<JsonNode?>()),
            ["notes"] = new JsonArray(report.Notes.Select(n => (JsonNode?)n).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Run(ComplexityRun run)
    {
        var details = new JsonObject();
        foreach (var (k, v) in run.Details) details[k] = Finite(v);
        return new JsonObject
        {
            ["model"] = run.Model, ["strategy"] = run.Strategy, ["configuration"] = run.Configuration,
            ["program"] = run.ProgramFile, ["fixedCodeBits"] = run.FixedCodeBits, ["payloadBits"] = run.PayloadBits, ["bits"] = run.Bits,
            ["paperBits"] = run.PaperBits, ["selected"] = run.Selected,
            ["idealPayloadBits"] = run.IdealPayloadBits is { } ideal ? Math.Round(ideal, 3) : null,
            ["score"] = run.Score, ["seconds"] = Math.Round(run.Seconds, 3), ["details"] = details,
        };
    }

    private static string Key(double target) => target.ToString("R", CultureInfo.InvariantCulture);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
