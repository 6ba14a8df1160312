using System.CommandLine;

namespace LLMML.Cli.Commands;

/// <summary>Options several commands share, so they are spelled, described and applied once.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of a table." };

    public static Option<int?> Threads() => new("--threads") { Description = "Torch intra-op threads (default: torch's choice; 1 is often faster on a busy machine)." };

    /// <summary>Sets torch's intra-op thread count when <paramref name="threads"/> was given; fewer than 1 is a user error.</summary>
    public static void ApplyThreads(ParseResult parse, Option<int?> threads)
    {
        if (parse.GetValue(threads) is not { } n) return;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), n, "--threads must be at least 1.");
        TorchSharp.torch.set_num_threads(n);
    }
}
