using System.CommandLine;

namespace LLMML.Cli.Commands;

/// <summary>Options several commands share, so they are spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of a table." };
}
