using LLMML.LanguageModels.Generation;using System.Text.RegularExpressions;
var M=LanguageModel.Load(args[0]);
foreach(var c in File.ReadLines(args[2]).Chunk(64))foreach(var o in M.Generate(c,new()))Console.WriteLine(Regex.Match(o,@"^ ([\p{L}\p{N}]*)").Groups[1]);
