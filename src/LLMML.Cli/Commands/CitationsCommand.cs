using System.CommandLine;

namespace LLMML.Cli.Commands;

/// <summary>`llmml citations …`: citation-graph features, the field analysis report, a synthetic graph and the benchmark.</summary>
internal static class CitationsCommand
{
    public static Command Create() => new("citations", "Citation-graph features and the field-impact analysis (edges citing → cited).")
    {
        CitationsFeaturesCommand.Create(),
        CitationsReportCommand.Create(),
        CitationsGenerateCommand.Create(),
        CitationsBenchCommand.Create("bench"),
    };
}
