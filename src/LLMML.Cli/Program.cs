using System.CommandLine;
using LLMML.Cli.Commands;

var root = new RootCommand("LLMML: interpretability research methods as ML.NET components on TorchSharp.")
{
    InfoCommand.Create(),
    TasksCommand.Create(),
    EvalCommand.Create(),
    RaspCommand.Create(),
    PretrainCommand.Create(),
    BenchCommand.Create(),
    CitationsCommand.Create(),
};
try
{
    return await root.Parse(args).InvokeAsync();
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidOperationException or NotSupportedException)
{
    // Bad input is the user's to fix: say what is wrong, not where in our code it was noticed.
    Console.Error.WriteLine($"llmml: {e.Message}");
    return 2;
}
