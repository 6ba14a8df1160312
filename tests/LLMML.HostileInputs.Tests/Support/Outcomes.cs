using System.Collections.Concurrent;
using LLMML.Cli.Commands;
using Xunit.Abstractions;

namespace LLMML.HostileInputs.Tests.Support;

/// <summary>
/// Judges and counts what one hostile input did: accepted, or refused with one clear line (a user-error type whose
/// message names the file, entry or line). Anything else fails the test with the input that caused it.
/// </summary>
public sealed class Outcomes(ITestOutputHelper output, string category)
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="load"/>; a thrown exception must be a user error whose one-line message contains one of <paramref name="names"/>.</summary>
    public void Judge(Action load, params string[] names)
    {
        try
        {
            load();
            _counts.AddOrUpdate("accepted", 1, (_, n) => n + 1);
        }
        catch (Exception thrown)
        {
            var e = UserErrors.Unwrap(thrown);
            UserErrors.Is(e).Should().BeTrue($"{e.GetType().Name} is not mapped to a user error: {e}");
            var line = UserErrors.OneLine(e);
            line.Should().ContainAny(names, $"the message must name what is wrong ({e.GetType().Name}: {e.Message})");
            _counts.AddOrUpdate($"refused: {e.GetType().Name}", 1, (_, n) => n + 1);
        }
    }

    /// <summary>Counts an outcome judged elsewhere (the CLI's exit codes).</summary>
    public void Count(string outcome) => _counts.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    /// <summary>Writes "category: N inputs; outcome × n, ..." to the test output (docs/reliability.md quotes these).</summary>
    public void Report()
    {
        var total = _counts.Values.Sum();
        output.WriteLine($"{category}: {total} inputs; " + string.Join(", ", _counts.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} × {kv.Value}")));
    }
}
