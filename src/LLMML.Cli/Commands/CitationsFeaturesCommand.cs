using LLMML.Foundation.Persistence;
using MathNet.Numerics.Statistics;
using LLMML.Cli.Rendering;
using System.CommandLine;
using System.Text.Json;
using LLMML.Citations.Analysis;
using LLMML.Citations.Features;
using LLMML.Citations.Interchange;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml citations features`: per-paper citation features to CSV, with a summary table or JSON.</summary>
internal static class CitationsFeaturesCommand
{
    public static Command Create()
    {
        var input = CitationsCliOptions.Input();
        var format = CitationsCliOptions.Format();
        var field = CitationsCliOptions.FieldColumn();
        var vertices = CitationsCliOptions.Vertices();
        var kinds = CitationsCliOptions.Features();
        var samples = CitationsCliOptions.BetweennessSamples();
        var seed = CitationsCliOptions.Seed();
        var targets = CitationsCliOptions.TargetFields();
        var outPath = new Option<FileInfo?>("--out", "-o") { Description = "Write the per-paper features here: CSV, or Parquet (the vertex file: id, year, field, features) when the name ends in .parquet." };
        var edgesOut = new Option<FileInfo?>("--edges-out") { Description = "Also write the edge list (src cites dst, with annotations) as Parquet." };
        var exact = new Option<bool>("--networkx-pagerank") { Description = "Stop PageRank where networkx stops (tol 1e-6 per paper) instead of at an L1 error of 1e-10." };
        var json = CommonOptions.Json();
        var command = new Command("features", "Compute per-paper citation features (counts, PageRank, HITS, k-core, betweenness, clustering, field and intent shares).")
        {
            input, format, field, vertices, kinds, samples, seed, targets, outPath, edgesOut, exact, json,
        };
        command.SetAction((parse, ct) =>
        {
            string?[] inputs = [parse.GetValue(input)!.FullName, parse.GetValue(vertices)?.FullName];
            var table = parse.GetValue(outPath) is { } o ? OutputPath.CheckFile(o.FullName, inputs) : null;
            var edgeFile = parse.GetValue(edgesOut) is { } eo ? OutputPath.CheckFile(eo.FullName, inputs) : null;
            if (table is not null && table == edgeFile) throw new IOException($"--out and --edges-out are the same file '{table}'.");
            var progress = ConsoleProgress.Stages();
            var load = CitationsCliOptions.Load(parse.GetValue(input)!, parse.GetValue(format)!, parse.GetValue(field), parse.GetValue(vertices), progress, ct);
            var g = load.Graph;
            var options = new CitationFeatureOptions
            {
                Features = CitationsCliOptions.ParseKinds(parse.GetValue(kinds)),
                Betweenness = new BetweennessOptions { Samples = parse.GetValue(samples), Seed = parse.GetValue(seed) },
                TargetFields = parse.GetValue(targets) is { Length: > 0 } t ? t : null,
            };
            if (parse.GetValue(exact)) options.PageRank = PageRankOptions.NetworkX();
            var features = CitationFeatureComputer.Compute(g, options, progress, ct);
            if (table is not null)
            {
                if (table.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) CitationParquet.WriteVertices(features, table, ct);
                else features.WriteCsv(table);
            }
            if (edgeFile is not null) CitationParquet.WriteEdges(g, edgeFile, ct);
            var summary = features.Names.Select(name =>
            {
                var v = features.Column(name).Where(x => !double.IsNaN(x)).Order().ToArray();
                return new FeatureSummary(name, v.Length, v.Length == 0 ? double.NaN : v[0], SortedArrayStatistics.QuantileCustom(v, 0.5, QuantileDefinition.R7),
                    v.Length == 0 ? double.NaN : v.Average(), v.Length == 0 ? double.NaN : v[^1]);
            }).ToArray();
            if (parse.GetValue(json))
            {
                var d = load.Diagnostics;
                var report = new
                {
                    papers = g.NodeCount,
                    citations = g.EdgeCount,
                    edgeDirection = "citing -> cited",
                    fields = g.FieldNames,
                    diagnostics = new { d.Records, d.MalformedCount, malformed = d.Malformed, d.DuplicateRecords, d.DuplicateEdges, d.SelfCitations, d.UnresolvedLinks },
                    features = summary,
                    output = table,
                    edges = edgeFile,
                    process = ProcessFigures(),
                };
                Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }));
                return Task.FromResult(0);
            }
            CitationsCliOptions.PrintDiagnostics(load.Diagnostics, g.NodeCount, g.EdgeCount);
            var view = new Table().AddColumns("feature", "defined", "min", "median", "mean", "max");
            foreach (var s in summary)
                view.AddRow(s.Name, s.Defined.ToString("N0"), s.Min.ToString("G4"), s.Median.ToString("G4"), s.Mean.ToString("G4"), s.Max.ToString("G4"));
            AnsiConsole.Write(view);
            if (table is not null) AnsiConsole.MarkupLineInterpolated($"features written to [green]{table}[/]");
            if (edgeFile is not null) AnsiConsole.MarkupLineInterpolated($"edges written to [green]{edgeFile}[/]");
            return Task.FromResult(0);
        });
        return command;
    }

    // What `bench citations --igraph` reads of this process: its peak memory and CPU so far.
    private static object ProcessFigures()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new { peakWorkingSetMegabytes = self.PeakWorkingSet64 / 1048576.0, cpuSeconds = self.TotalProcessorTime.TotalSeconds };
    }

    private sealed record FeatureSummary(string Name, int Defined, double Min, double Median, double Mean, double Max);
}
