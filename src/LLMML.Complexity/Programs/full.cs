using LLMML.Complexity.Coding;using LLMML.LanguageModels.Generation;using System.Text.RegularExpressions;
var M=LanguageModel.Load(args[0]);var r=PayloadReader.Open(args[1]);foreach(var p in M.Model.parameters())WeightQuantisation.Read(r,p,16);
foreach(var c in File.ReadLines(args[2]).Chunk(64))foreach(var o in M.Generate(c,new()))Console.WriteLine(Regex.Match(o,@"^ ([\p{L}\p{N}]*)").Groups[1]);
