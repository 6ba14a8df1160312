using System.CommandLine;

namespace LLMML.Cli.Commands;

/// <summary>`llmml rasp …`: list, compile, run and check RASP programs (the benchmark is `llmml bench rasp`).</summary>
internal static class RaspCommand
{
    public static Command Create() => new("rasp", "RASP programs compiled to TorchSharp transformers (tracr-style).")
    {
        RaspListCommand.Create(),
        RaspCompileCommand.Create(),
        RaspRunCommand.Create(),
        RaspCheckCommand.Create(),
    };
}
