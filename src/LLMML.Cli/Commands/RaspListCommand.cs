using System.CommandLine;
using System.Text.Json;
using LLMML.Rasp.Library;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml rasp list`: the library programs with their default vocabulary and mode.</summary>
internal static class RaspListCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the RASP library programs (tracr's library and the three injection programs).") { json };
        command.SetAction(parse =>
        {
            var rows = ProgramCatalog.All.Select(e => new
            {
                name = e.Name,
                description = e.Description,
                vocabulary = e.Vocabulary.Select(v => v.ToString()).ToArray(),
                causal = e.Causal,
                injection = e.IsInjection,
            }).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, RaspCliSupport.Json));
                return 0;
            }
            var table = new Table().AddColumns("program", "default vocabulary", "mode", "description");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.name), Markup.Escape(string.Join(" ", r.vocabulary)), r.causal ? "causal" : "non-causal", Markup.Escape(r.description));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
