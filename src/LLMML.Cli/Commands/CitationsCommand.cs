using System.CommandLine;

namespace LLMML.Cli.Commands;

/// <summary>`llmml citations …`: citation-graph features, the field analysis report, and a synthetic graph (the benchmark is `llmml bench citations`).</summary>
internal static class CitationsCommand
{
    public static Command Create() => new("citations", "Citation-graph features and the field-impact analysis (edges citing → cited).")
    {
        CitationsFeaturesCommand.Create(),
        CitationsReportCommand.Create(),
        CitationsGenerateCommand.Create(),
    };
}
