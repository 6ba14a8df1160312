using LLMML.Cli;

namespace LLMML.HostileInputs.Tests.Support;

/// <summary>Runs `llmml` in-process and captures what the user would see.</summary>
public static class Llmml
{
    // Console.Out is process-wide; the CLI tests share one collection so they never interleave.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public sealed record Outcome(int ExitCode, string Error, string Output)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static async Task<Outcome> Run(params string[] args)
    {
        await Gate.WaitAsync();
        var previousOut = Console.Out;
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            var code = await LlmmlCli.RunAsync(args, error);
            return new Outcome(code, error.ToString(), output.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Gate.Release();
        }
    }
}

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;
