using System.Diagnostics;
using LLMML.HostileInputs.Tests.Support;
using LLMML.LanguageModels.Generation;

namespace LLMML.HostileInputs.Tests;

/// <summary>
/// `kill -9` of a real `llmml pretrain --out DIR` over an existing checkpoint, at random moments around its save: DIR
/// must load afterwards, every time. Two kills by default; LLMML_HOSTILE_SOAK multiplies them.
/// </summary>
public sealed class KilledSaveTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static Process Start(string outDir)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "llmml.exe" : "llmml"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "pretrain", "--organism", "Random", "--out", outDir }) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    [Fact]
    public void A_killed_save_leaves_a_loadable_checkpoint()
    {
        var dir = _sandbox.At("organism");
        var clock = Stopwatch.StartNew();
        using (var first = Start(dir))
        {
            first.WaitForExit();
            first.ExitCode.Should().Be(0, first.StandardError.ReadToEnd());
        }
        var full = clock.Elapsed;
        var random = new Random(18);
        for (var run = 0; run < Soak.Iterations(2); run++)
        {
            // The save is the last step of the run, so kill in its second half.
            var delay = full * (0.5 + 0.6 * random.NextDouble());
            using var process = Start(dir);
            process.WaitForExit(delay);
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();

            using var lm = LanguageModel.Load(dir);
            lm.Config.ModelType.Should().Be("gpt2", $"run {run} killed after {delay.TotalMilliseconds:F0} ms");
        }
    }
}
