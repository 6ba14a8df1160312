using System.CommandLine;
using System.Text.Json;
using LLMML.Rasp.Library;
using LLMML.Rasp.Syntax;
using LLMML.Rasp.Torch.Persistence;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml rasp compile`: compiles a library program or a .rasp file and prints the model size.</summary>
internal static class RaspCompileCommand
{
    public static Command Create()
    {
        var program = new Option<string?>("--program", "-p") { Description = "Library program name (see `llmml rasp list`)." };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "A .rasp program file." };
        var vocab = new Option<string?>("--vocab") { Description = "Comma-separated vocabulary, e.g. 1,2,3 (default: the program's)." };
        var maxLen = new Option<int>("--max-len", "-n") { Description = "Maximum input length (BOS not counted).", DefaultValueFactory = _ => 8 };
        var causal = new Option<bool?>("--causal") { Description = "Compile for causal evaluation (default: the program's mode, non-causal for files)." };
        var save = new Option<DirectoryInfo?>("--save") { Description = "Save model.safetensors and labels.json to this directory." };
        var json = CommonOptions.Json();
        var command = new Command("compile", "Compile a RASP program to a transformer and report its size.") { program, file, vocab, maxLen, causal, save, json };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(program);
            var path = parse.GetValue(file);
            if ((name is null) == (path is null)) throw new ArgumentException("Give exactly one of --program NAME or --file PATH.");
            var entry = name is null ? null : ProgramCatalog.Get(name);
            var n = parse.GetValue(maxLen);
            var sop = entry is not null ? entry.Build(n) : RaspScript.Load(path!.FullName);
            var vocabText = parse.GetValue(vocab);
            var vocabulary = vocabText is not null ? RaspCliSupport.ParseVocabulary(vocabText)
                : entry?.Vocabulary ?? throw new ArgumentException("--vocab is required with --file.");
            var isCausal = parse.GetValue(causal) ?? entry?.Causal ?? false;
            var (report, _, model) = RaspCliSupport.CompileAndAssemble(name ?? Path.GetFileNameWithoutExtension(path!.Name), sop, vocabulary, n, isCausal);
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
