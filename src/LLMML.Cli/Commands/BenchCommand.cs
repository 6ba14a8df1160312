using System.CommandLine;

namespace LLMML.Cli.Commands;

/// <summary>`llmml bench …`: every benchmark in one place; each prints a table and can write JSON.</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks (run with -c Release on a quiet machine).")
    {
        BenchLmCommand.Create(),
        BenchEigenpruneCommand.Create(),
        BenchEvalCommand.Create(),
        RaspBenchCommand.Create(),
        CitationsBenchCommand.Create(),
        BenchSweepsCommand.Create(),
        BenchInjectCommand.Create(),
    };
}
