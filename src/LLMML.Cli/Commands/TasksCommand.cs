using System.CommandLine;
using System.Text.Json;
using LLMML.MLNet.Tasks;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml tasks`: the benchmark tasks with their splits, sizes and answer sets.</summary>
internal static class TasksCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("tasks", "List the benchmark tasks with their splits, sizes and answer sets.") { json };
        command.SetAction(parse =>
        {
            var tasks = TaskRegistry.Default.Tasks.Select(t => new
            {
                name = t.Name,
                description = t.Description,
                answerSet = t.AnswerSet is { } set ? new { size = set.Count, first = set.Take(5), last = set.TakeLast(2) } : null,
                splits = t.DescribeSplits().Select(s => new { name = s.Name, count = s.Count, closed = s.IsClosed, description = s.Description }),
            }).ToArray();

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(tasks, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            var table = new Table().AddColumns("task", "split", "rows", "answers", "split holds");
            foreach (var t in tasks)
            {
                foreach (var s in t.splits)
                {
                    var answers = t.answerSet is null ? "open" : s.closed ? $"{t.answerSet.size} classes" : "open (outside set)";
                    table.AddRow(Markup.Escape(t.name), Markup.Escape(s.name), s.count.ToString("N0"), answers, Markup.Escape(s.description));
                }
            }
            AnsiConsole.Write(table);
            foreach (var t in tasks) AnsiConsole.MarkupLine($"[bold]{Markup.Escape(t.name)}[/]: {Markup.Escape(t.description)}");
            return 0;
        });
        return command;
    }
}
