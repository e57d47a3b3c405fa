"""The import graph of bfe has no circle: checked with grimp, the graph import-linter builds."""

import grimp


def _strongly_connected(edges):
    """Tarjan's algorithm, iterative; the components with more than one module."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _is_product_code(module):
    return ".tests" not in module and not module.endswith(".conftest")


def _import_cycles():
    graph = grimp.build_graph("bfe", cache_dir=None)
    modules = {module for module in graph.modules if _is_product_code(module)}
    edges = {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported in modules
        }
        for module in modules
    }
    return _strongly_connected(edges)


def test_the_cycle_finder_finds_a_circle_and_only_real_ones():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}

    assert _strongly_connected(edges) == [["a", "b", "c"]]


def test_no_module_of_bfe_imports_itself_through_others():
    # Every import counts, also those inside functions: a lazy import hides a circle, it does
    # not remove it. Tests may import anything.
    assert _import_cycles() == []
