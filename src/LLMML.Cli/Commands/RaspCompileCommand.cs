using System.CommandLine;
using System.Text.Json;
using LLMML.Rasp.Torch;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml rasp compile`: compiles a library program or a .rasp file and prints the model size.</summary>
internal static class RaspCompileCommand
{
    public static Command Create()
    {
        var source = new RaspProgramOptions();
        var maxLen = new Option<int>("--max-len", "-n") { Description = "Maximum input length (BOS not counted).", DefaultValueFactory = _ => 8 };
        var save = new Option<DirectoryInfo?>("--save") { Description = "Save model.safetensors and labels.json to this directory." };
        var json = CommonOptions.Json();
        var command = new Command("compile", "Compile a RASP program to a transformer and report its size.") { maxLen, save, json };
        source.AddTo(command);
        command.SetAction(parse =>
        {
            CommonOptions.CheckOutputDirectory(parse.GetValue(save)?.FullName, parse.GetValue(source.File)?.FullName);
            var n = parse.GetValue(maxLen);
            var choice = source.Resolve(parse, n);
            var (report, _, model) = RaspCliSupport.CompileAndAssemble(choice.Name, choice.Program, source.CompilerOptions(parse, choice, n));
            using var _m = model;
            if (parse.GetValue(save) is { } dir) CompiledModelStore.Save(model, dir.FullName);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, RaspCliSupport.Json));
                return 0;
            }
            var table = new Table().AddColumns("what", "value");
            foreach (var p in typeof(RaspCompileReport).GetProperties())
                table.AddRow(p.Name, Markup.Escape(p.GetValue(report)?.ToString() ?? ""));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
