using LLMML.Foundation.Persistence;
using System.CommandLine;
using LLMML.Citations.Features;
using LLMML.Citations.Loading;
using LLMML.Foundation.Progress;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>Options the citation commands share, and the small glue between them and the library.</summary>
internal static class CitationsCliOptions
{
    public static Option<FileInfo> Input() => new("--input", "-i") { Description = "Citation data file.", Required = true };

    public static Option<string> Format() => new("--format", "-f")
    {
        Description = "Input format: cora (cora.cites or cora.npz), s2 (Semantic Scholar Graph API JSON/JSONL), s2orc, openalex (a works file, or a snapshot folder), parquet (an edge list; see --vertices), edgelist (text, one \"citing cited\" pair a line).",
        Required = true,
    };

    public static Option<string?> FieldColumn() => new("--field-column")
    {
        Description = "Record property holding each paper's field/track (dotted path for nested objects). Default: the format's own (S2 fieldsOfStudy, S2ORC mag_field_of_study, OpenAlex primary topic field, Cora class).",
    };

    public static Option<string?> Features() => new("--features")
    {
        Description = "Comma-separated feature groups: counts, citationsperyear, pagerank, hits, corenumber, betweenness, clustering, fieldshares, referencefieldshares, citingfieldshares, intents, all, allbutbetweenness (default all).",
    };

    public static Option<int?> BetweennessSamples() => new("--betweenness-samples")
    {
        Description = "Sampled betweenness sources (default: exact up to 5,000 papers, else 500).",
    };

    public static Option<int> Seed() => new("--seed") { Description = "Seed for sampled betweenness sources.", DefaultValueFactory = _ => 42 };

    public static Option<string[]> TargetFields() => new("--target-field")
    {
        Description = "Field whose reference share is computed (repeatable; default every field).",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<FileInfo?> Vertices() => new("--vertices")
    {
        Description = "With --format parquet: the vertex file (id, year, field) written beside the edge list.",
    };

    public static GraphLoadResult Load(FileInfo input, string format, string? fieldColumn, FileInfo? vertices, IProgress<ProgressUpdate>? progress, CancellationToken ct) =>
        CitationLoader.Load(input.FullName, CitationLoader.ParseFormat(format),
            new CitationLoadOptions { FieldProperty = fieldColumn, VerticesPath = vertices?.FullName }, progress, ct);

    public static CitationFeatureKinds ParseKinds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return CitationFeatureKinds.All;
        var kinds = CitationFeatureKinds.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            kinds |= Enum.TryParse<CitationFeatureKinds>(part, ignoreCase: true, out var k) ? k
                : throw new ArgumentException($"Unknown feature group '{part}'; use {string.Join(", ", Enum.GetNames<CitationFeatureKinds>().Skip(1))}.");
        return kinds;
    }

    /// <summary>Prints each new stage to stderr, so stdout stays clean for --json.</summary>
    public static void PrintDiagnostics(LoadDiagnostics d, int nodes, int edges)
    {
        var table = new Table().AddColumns("input", "value");
        table.AddRow("papers", nodes.ToString("N0"));
        table.AddRow("citations (citing → cited)", edges.ToString("N0"));
        table.AddRow("records read", d.Records.ToString("N0"));
        table.AddRow("malformed records", d.MalformedCount.ToString("N0"));
        table.AddRow("duplicate records merged", d.DuplicateRecords.ToString("N0"));
        table.AddRow("duplicate edges merged", d.DuplicateEdges.ToString("N0"));
        table.AddRow("self-citations dropped", d.SelfCitations.ToString("N0"));
        table.AddRow("unresolved links", d.UnresolvedLinks.ToString("N0"));
        AnsiConsole.Write(table);
        foreach (var m in d.Malformed.Take(10)) AnsiConsole.MarkupLineInterpolated($"[yellow]{(m.File is null ? "" : m.File + " ")}line {m.Line}[/]: {m.Message}");
        if (d.MalformedCount > 10) AnsiConsole.MarkupLineInterpolated($"[yellow]… and {d.MalformedCount - 10} more malformed records[/]");
    }
}
