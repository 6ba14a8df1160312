using LLMML.Cli.Rendering;
using System.CommandLine;
using System.Globalization;
using LLMML.Citations.Analysis;
using LLMML.Citations.Features;
using LLMML.Citations.Plots;
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
        var samples = CitationsCliOptions.BetweennessSamples();
        var seed = CitationsCliOptions.Seed();
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the tables (CSV) and plots (PNG).", Required = true };
        var target = new Option<string?>("--target-field") { Description = "Field whose share among each field's references is reported (default: the first field)." };
        var papers = new Option<FileInfo?>("--papers") { Description = "File of paper ids (one a line) to analyse, e.g. the seed papers of a one-hop crawl; default every paper with a field and year." };
        var year = new Option<int?>("--csi-year") { Description = "Year of the CSI heatmap (default: the latest)." };
        var command = new Command("report", "Per field and year: citation counts, Citation Success Index, intra-field share, reference share to a target field, centrality and intent shares; CSV + PNG.")
        {
            input, format, field, outDir, target, papers, year, samples, seed,
        };
        command.SetAction((parse, ct) =>
        {
            CommonOptions.CheckOutputDirectory(parse.GetValue(outDir)!.FullName, parse.GetValue(input)?.FullName, parse.GetValue(papers)?.FullName);
            var progress = ConsoleProgress.Stages();
            var load = CitationsCliOptions.Load(parse.GetValue(input)!, parse.GetValue(format)!, parse.GetValue(field), progress, ct);
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
            var dir = parse.GetValue(outDir)!;
            dir.Create();
            var targetField = parse.GetValue(target) ?? g.FieldNames[0];
            var tables = new (string File, DataFrame Frame)[]
            {
                ("citation_counts.csv", analysis.CitationCounts()),
                ("csi.csv", analysis.CitationSuccessIndexTable()),
                ("intra_field_share.csv", analysis.IntraFieldShare()),
                ("reference_share.csv", analysis.ReferenceShareTo(targetField)),
                ("centrality.csv", analysis.CentralityDistribution()),
                ("centrality_pooled.csv", analysis.CentralityDistribution(poolYears: true)),
                ("intent_shares.csv", analysis.IntentShares()),
            };
            foreach (var (file, frame) in tables)
                DataFrame.SaveCsv(frame, Path.Combine(dir.FullName, file), cultureInfo: CultureInfo.InvariantCulture);
            int csiYear = parse.GetValue(year) ?? analysis.Years.Max();
            var box = Path.Combine(dir.FullName, "centrality_by_field.png");
            var heat = Path.Combine(dir.FullName, $"csi_{csiYear}.png");
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

    private static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        return v.Length == 0 ? double.NaN : v.Average();
    }
}
