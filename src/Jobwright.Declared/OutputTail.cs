using System.Text;

namespace Jobwright.Declared;

/// <summary>The last characters of a stream of output lines, so a chatty program cannot fill the store.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _text.Append(line).Append('\n');
            if (_text.Length > capacity)
            {
                _text.Remove(0, _text.Length - capacity);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString().TrimEnd('\n');
        }
    }
}
