using System.CommandLine;
using LLMML.Foundation.Persistence;

namespace LLMML.Cli.Commands;

/// <summary>Options several commands share, so they are spelled, described and applied once.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of a table." };

    /// <summary>The benchmarks' `--json PATH`: where to also write the results (checked before any work).</summary>
    public static Option<FileInfo?> JsonFile() => new("--json") { Description = "Also write the results as JSON to this file." };

    public static Option<int?> Threads() => new("--threads") { Description = "Torch intra-op threads (default: torch's choice; 1 is often faster on a busy machine)." };

    /// <summary>Makes the parser reject values of <paramref name="option"/> below <paramref name="minimum"/> with one line naming it.</summary>
    public static T AtLeast<T>(this T option, int minimum) where T : Option
    {
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count == 0 ? null : result.GetValueOrDefault<object?>();
            if (value is int n && n < minimum)
                result.AddError($"{option.Name} must be at least {minimum} (got {n}).");
        });
        return option;
    }

    /// <summary>
    /// Checks an output file before any work starts (see <see cref="OutputPath.CheckFile"/>): writable, not a directory,
    /// not one of <paramref name="inputs"/> and not inside an input directory.
    /// </summary>
    public static void CheckOutputFile(string? path, params IEnumerable<string?> inputs)
    {
        if (path is not null) OutputPath.CheckFile(path, inputs);
    }

    /// <summary>The same for an output directory (<see cref="OutputPath.CheckDirectory"/>).</summary>
    public static void CheckOutputDirectory(string? path, params IEnumerable<string?> inputs)
    {
        if (path is not null) OutputPath.CheckDirectory(path, inputs);
    }

    /// <summary>Sets torch's intra-op thread count when <paramref name="threads"/> was given; fewer than 1 is a user error.</summary>
    public static void ApplyThreads(ParseResult parse, Option<int?> threads)
    {
        if (parse.GetValue(threads) is not { } n) return;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), n, "--threads must be at least 1.");
        TorchSharp.torch.set_num_threads(n);
    }
}
