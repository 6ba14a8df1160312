using System.CommandLine;
using LLMML.Cli.Commands;

var root = new RootCommand("LLMML: interpretability research methods as ML.NET components on TorchSharp.")
{
    InfoCommand.Create(),
    RaspCommand.Create(),
    BenchLmCommand.Create(),
    CitationsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
