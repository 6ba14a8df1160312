using LLMML.Cli.Rendering;
using System.CommandLine;
using System.Globalization;
using LLMML.Citations.Analysis;
using LLMML.Citations.Features;
using LLMML.Citations.Plots;
using LLMML.Foundation.Persistence;
using Microsoft.Data.Analysis;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml citations report`: the field-impact analysis as CSV tables and PNG plots.</summary>
internal static class CitationsReportCommand
{
    public static Command Create()
    {
        var input = CitationsCliOptions.Input();
        var format = CitationsCliOptions.Format();
        var field = CitationsCliOptions.FieldColumn();
        var vertices = CitationsCliOptions.Vertices();
        var samples = CitationsCliOptions.BetweennessSamples();
        var seed = CitationsCliOptions.Seed();
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the tables (CSV) and plots (PNG).", Required = true };
        var target = new Option<string?>("--target-field") { Description = "Field whose share among each field's references is reported (default: the first field)." };
        var papers = new Option<FileInfo?>("--papers") { Description = "File of paper ids (one a line) to analyse, e.g. the seed papers of a one-hop crawl; default every paper with a field and year." };
        var year = new Option<int?>("--csi-year") { Description = "Year of the CSI heatmap (default: the latest)." };
        var command = new Command("report", "Per field and year: citation counts, Citation Success Index, intra-field share, reference share to a target field, centrality and intent shares; CSV + PNG.")
        {
            input, format, field, vertices, outDir, target, papers, year, samples, seed,
        };
        command.SetAction((parse, ct) =>
        {
            var dir = parse.GetValue(outDir)!;
            string?[] inputs = [parse.GetValue(input)!.FullName, parse.GetValue(papers)?.FullName, parse.GetValue(vertices)?.FullName];
            if (File.Exists(dir.FullName)) throw new IOException($"Output folder '{dir.FullName}' is an existing file.");
            string Output(string file) => OutputPath.CheckFile(Path.Combine(dir.FullName, file), inputs);
            foreach (var file in (string[])[.. TableFiles, "centrality_by_field.png"]) Output(file); // before any work
            var progress = ConsoleProgress.Stages();
            var load = CitationsCliOptions.Load(parse.GetValue(input)!, parse.GetValue(format)!, parse.GetValue(field), parse.GetValue(vertices), progress, ct);
            var g = load.Graph;
            if (g.FieldNames.Count == 0)
                throw new InvalidOperationException("No paper has a field: name the property holding it with --field-column.");
            bool[]? include = null;
            if (parse.GetValue(papers) is { } list)
            {
                include = new bool[g.NodeCount];
                int missing = 0;
                foreach (var line in File.ReadLines(list.FullName))
                {
                    var id = line.Trim();
                    if (id.Length == 0) continue;
                    int i = g.IndexOf(id);
                    if (i < 0) missing++; else include[i] = true;
                }
                if (missing > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]{missing} ids of {list.Name} are not in the graph[/]");
            }
            var features = CitationFeatureComputer.Compute(g, new CitationFeatureOptions
            {
                Features = CitationFeatureKinds.Counts | CitationFeatureKinds.Betweenness | CitationFeatureKinds.PageRank,
                Betweenness = new BetweennessOptions { Samples = parse.GetValue(samples), Seed = parse.GetValue(seed) },
            }, progress, ct);
            var analysis = new CitationAnalysis(g, features, new CitationAnalysisOptions { Include = include });
            if (analysis.Years.Count == 0)
                throw new InvalidOperationException("No analysed paper has both a year and a field.");
            dir.Create();
            var targetField = parse.GetValue(target) ?? g.FieldNames[0];
            DataFrame[] frames =
            [
                analysis.CitationCounts(), analysis.CitationSuccessIndexTable(), analysis.IntraFieldShare(), analysis.ReferenceShareTo(targetField),
                analysis.CentralityDistribution(), analysis.CentralityDistribution(poolYears: true), analysis.IntentShares(),
            ];
            foreach (var (file, frame) in TableFiles.Zip(frames))
                AtomicFile.Write(Output(file), s => DataFrame.SaveCsv(frame, s, cultureInfo: CultureInfo.InvariantCulture));
            int csiYear = parse.GetValue(year) ?? analysis.Years.Max();
            var box = Output("centrality_by_field.png");
            var heat = Output($"csi_{csiYear}.png");
            CitationPlots.CentralityByField(analysis.CentralityValuesByField(), box);
            CitationPlots.CsiHeatmap(analysis.CitationSuccessIndexTable(), csiYear, heat);

            CitationsCliOptions.PrintDiagnostics(load.Diagnostics, g.NodeCount, g.EdgeCount);
            var summary = new Table().AddColumns("field", "papers", "median citations", "intra-field share", $"median share of refs to {Markup.Escape(targetField)}", "median betweenness");
            var pooled = analysis.CentralityDistribution(poolYears: true);
            var counts = analysis.CitationCounts();
            var intra = analysis.IntraFieldShare();
            var refs = analysis.ReferenceShareTo(targetField);
            foreach (var row in pooled.Rows)
            {
                var f = (string)row[1];
                var fc = counts.Rows.Where(r => (string)r[1] == f).ToArray();
                var fi = intra.Rows.Where(r => (string)r[1] == f).ToArray();
                var fr = refs.Rows.Where(r => (string)r[1] == f).ToArray();
                double cit = fi.Sum(r => (double)r[3]), same = fi.Sum(r => (double)r[4]);
                summary.AddRow(Markup.Escape(f), ((double)row[2]).ToString("N0"),
                    Mean(fc.Select(r => (double)r[4])).ToString("G3"),
                    (cit == 0 ? double.NaN : same / cit).ToString("P1"),
                    Mean(fr.Select(r => (double)r[3])).ToString("P1"),
                    ((double)row[3]).ToString("G3"));
            }
            AnsiConsole.Write(summary);
            AnsiConsole.MarkupLineInterpolated($"tables and plots written to [green]{dir.FullName}[/] (CSI heatmap for {csiYear})");
            return Task.FromResult(0);
        });
        return command;
    }

    private static readonly string[] TableFiles =
        ["citation_counts.csv", "csi.csv", "intra_field_share.csv", "reference_share.csv", "centrality.csv", "centrality_pooled.csv", "intent_shares.csv"];

    private static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        return v.Length == 0 ? double.NaN : v.Average();
    }
}
