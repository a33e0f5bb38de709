"""Build eval/course.csv: a small human-graded dev set of short CS exam answers.

Who wrote it and how: every question, reference answer, student answer and
grade below was written by hand for this file by an AI assistant (Claude)
acting as a class of students and as two teaching assistants.  Nothing was
copied from an existing public data set (Texas/Mohler, SemEval, SAF, ...).

There are 30 questions, 5 in each of 6 areas (programming concepts, data
structures, algorithms and complexity, operating systems, computer networks,
databases), each with 8 student answers covering the whole range: correct in
the student's own words (terse and wordy), partly correct, vague, a confident
misconception, an answer to a different question, a near-copy of the
question, an "I don't know", and a bare keyword list.

Each answer carries two independent 0-5 grades (whole or half points) given
against the reference as TA "a" and TA "b" would: 5 completely correct,
4 minor omission, 3 main idea with gaps, 2 relevant fragment, 1 mostly wrong,
0 wrong/empty/irrelevant.  Correct answers in different words from the
reference get full marks.  The TAs differ by at most 1 point;
human_score = mean(grader_a, grader_b).

Regenerate with:  python3 eval/build_course_set.py   (standard library only)
"""

import csv
import os

HEADER = ["question", "reference_answer", "answer", "human_score",
          "grader_a", "grader_b", "area"]

# (area, question, reference, [(student answer, grade TA a, grade TA b), ...])
DATA = [
    # ------------------------------------------------------------ programming
    ("programming",
     "What is the difference between passing an argument by value and passing it by reference?",
     "Pass by value gives the function a copy of the argument, so changes made inside the function "
     "do not affect the caller's variable. Pass by reference gives the function access to the "
     "original variable, so changes are visible to the caller.",
     [
         ("By value the function gets a copy, so changing it doesnt change the original. By reference "
          "it works on the actual variable so changes show up in the caller.", 5, 5),
         ("value = copy of the data, reference = alias to the same memory location", 4.5, 4),
         ("When you pass by reference you hand the function the address of the variable instead of a "
          "duplicate, so if the function modifies the parameter the caller sees the modification. Pass "
          "by value copies the value in, and the original stays untouched no matter what the function does.", 5, 5),
         ("With pass by reference the function is able to change the caller's variable.", 3, 2.5),
         ("Pass by reference is faster because it copies the variable into the function, pass by value "
          "doesnt copy anything it just uses the value directly.", 0.5, 1),
         ("Passing by value is passing the value and passing by reference is passing the reference.", 1, 0.5),
         ("A parameter is the variable in the function definition and an argument is the actual value "
          "you pass in the call.", 0, 0.5),
         ("copy, pointer, memory address, side effects", 1.5, 1),
     ]),
    ("programming",
     "What is recursion, and why does a recursive function need a base case?",
     "Recursion is when a function solves a problem by calling itself on smaller instances of the same "
     "problem. The base case is solved directly without recursion; without it the calls never stop, "
     "leading to infinite recursion and a stack overflow.",
     [
         ("Recursion is a function calling itself. Base case is needed so it stops, otherwise it recurses "
          "forever and you get a stack overflow.", 5, 5),
         ("A recursive function solves a problem by reducing it to a smaller version of the same problem and "
          "calling itself on that. The base case is the smallest version that can be answered directly; "
          "without it there is nothing to terminate the chain of calls.", 5, 5),
         ("recursion = function calls itself", 2.5, 2),
         ("Recursion is when a loop repeats until a condition is false. The base case is the first value of "
          "the loop variable.", 0.5, 0),
         ("Recursion is when a function calls itself. The base case is needed so the function returns the "
          "right type at the end.", 2.5, 2),
         ("Its when something is defined in terms of itself, and the base case is kind of the starting point.", 2.5, 2.5),
         ("no idea, we didnt cover this yet", 0, 0),
         ("self call, base case, stack overflow, factorial", 2, 1.5),
     ]),
    ("programming",
     "What is the difference between a compiler and an interpreter?",
     "A compiler translates the whole source program into machine code (or another target language) "
     "before it runs, producing an executable. An interpreter executes the program directly, statement "
     "by statement, at run time without producing a separate executable.",
     [
         ("Compiler translates the entire program to machine code ahead of time; an interpreter executes it "
          "line by line while running.", 5, 5),
         ("A compiler produces an executable file you can run later without the source. An interpreter "
          "doesn't produce anything, it just reads your code and runs it directly each time.", 5, 4.5),
         ("A compiler checks the code for errors and then the interpreter turns it into machine code, they "
          "are two steps of the same process.", 1, 0.5),
         ("An interpreter runs code line by line, which is why Python is slow.", 2.5, 2.5),
         ("Compiled languages are faster and interpreted ones are easier to use.", 1.5, 1),
         ("A compiler has phases like lexical analysis, parsing, semantic analysis and code generation.", 1, 0.5),
         ("A compiler compiles the program while an interpreter interprets the program.", 0.5, 0),
         ("Compiler converts all the code into machine code before running, interpreter converts it one line "
          "at a time. Compiled programs cannot have runtime errors because the compiler catches them all.", 3.5, 3),
     ]),
    ("programming",
     "In object-oriented programming, what is polymorphism?",
     "Polymorphism is the ability to use objects of different classes through a common interface or base "
     "type, where a method call runs the implementation belonging to the object's actual class, chosen at "
     "run time.",
     [
         ("Polymorphism means one interface, many forms: you can call the same method on objects of different "
          "classes and each one does its own version, e.g. shape.area() on a Circle or a Square.", 5, 5),
         ("Being able to treat a subclass object as its superclass type, and when you call an overridden method "
          "the subclass's version runs (dynamic dispatch).", 5, 5),
         ("Polymorphism is when a class inherits from more than one parent class.", 0.5, 0.5),
         ("Polymorphism is method overloading, having several methods with the same name but different "
          "parameters.", 2.5, 2),
         ("Encapsulation means hiding the internal data of a class and only exposing it through methods.", 0, 0),
         ("it means objects can take many forms", 2, 3),
         ("inheritance, overriding, virtual functions", 1.5, 2),
         ("something about classes I think", 0, 0),
     ]),
    ("programming",
     "What is the difference between static typing and dynamic typing?",
     "With static typing, the types of variables and expressions are known and checked at compile time "
     "(e.g. Java, C). With dynamic typing, types belong to values and are checked at run time, so a "
     "variable can hold values of different types (e.g. Python).",
     [
         ("Static: types are checked when compiling. Dynamic: types are checked while the program runs.", 5, 4.5),
         ("In a statically typed language like Java you declare a variable as int and it can only ever hold ints, "
          "and mistakes are caught before running. In Python a variable is just a name that can point to a string "
          "now and a list later; type errors only show up at runtime.", 5, 5),
         ("Static typing means the variable's value cannot change after it is assigned, dynamic typing means "
          "it can change.", 0, 0.5),
         ("Statically typed means you have to write the type of every variable, dynamically typed means you "
          "don't have to.", 2, 1),
         ("With static typing type errors are found at compile time.", 3, 2.5),
         ("Static typing is typing that is static, dynamic typing is dynamic.", 0, 0),
         ("compile time vs run time, Java vs Python", 3, 3),
         ("Strong typing means the language doesn't do implicit conversions between types, like adding a "
          "string and an int.", 0.5, 1),
     ]),

    # -------------------------------------------------------- data structures
    ("data_structures",
     "What is the main difference between a stack and a queue?",
     "A stack is last-in, first-out: the most recently added element is removed first. A queue is "
     "first-in, first-out: elements are removed in the same order in which they were added.",
     [
         ("Stack is LIFO, queue is FIFO.", 4.5, 5),
         ("In a stack the element you take out is the one you put in most recently, like a pile of plates. "
          "In a queue you take out the one that has been waiting longest, like a line at a store.", 5, 5),
         ("A stack is first in first out and a queue is last in first out.", 0, 0.5),
         ("Stack uses push and pop at the top.", 2, 1.5),
         ("The stack is the memory for local variables and the heap is for dynamically allocated objects.", 0, 0),
         ("they store elements in a different order", 1, 1),
         ("A queue removes from the front and adds at the back, a stack adds and removes from both ends.", 2, 2),
         ("I don't know", 0, 0),
     ]),
    ("data_structures",
     "Give one advantage of a linked list over an array, and one disadvantage.",
     "Advantage: a linked list grows and shrinks dynamically, and inserting or deleting at a known position "
     "takes O(1) time without shifting elements. Disadvantage: no random access, so reaching the i-th "
     "element takes O(n) time; pointers also use extra memory.",
     [
         ("Advantage: insert/delete is cheap, you just relink pointers, no shifting. Disadvantage: can't index "
          "directly, you have to walk from the head to get element i.", 5, 5),
         ("linked list size isnt fixed so it grows as needed; downside is O(n) access and extra memory for the "
          "next pointers", 5, 5),
         ("Linked lists are dynamic in size.", 2.5, 2),
         ("Linked lists are faster for everything because the elements are not stored next to each other, "
          "the disadvantage is they can only store integers.", 0.5, 0),
         ("Advantage is faster searching since you just follow the pointers. Disadvantage is that you can't "
          "access an element by index quickly.", 2.5, 2.5),
         ("a linked list is more flexible but slower", 1, 2),
         ("The advantage of a linked list over an array is that it is a linked list and not an array.", 0, 0),
         ("pointers, nodes, dynamic size, O(n) access", 3, 3),
     ]),
    ("data_structures",
     "What property must every binary search tree satisfy?",
     "For every node, all keys in its left subtree are smaller than the node's key and all keys in its "
     "right subtree are larger (with a fixed convention for equal keys).",
     [
         ("Every node's left subtree has only smaller keys and its right subtree only bigger keys.", 5, 5),
         ("For any node x, everything you can reach by going left from x is less than x, and everything "
          "reachable on the right side is greater than x.", 5, 5),
         ("Left child is smaller than the parent and right child is bigger than the parent.", 3, 2.5),
         ("Each node has at most two children and the tree is always balanced.", 1, 0.5),
         ("In a heap the parent is always bigger than its children.", 0, 0),
         ("the values are kept sorted in the tree", 2, 1.5),
         ("left < root < right, O(log n) search", 3.5, 4),
         ("not sure, binary means two?", 0.5, 0),
     ]),
    ("data_structures",
     "What is a hash collision, and what is one way to resolve it?",
     "A collision occurs when two different keys hash to the same slot of a hash table. It can be resolved "
     "by chaining (each slot holds a list of entries) or by open addressing, probing for another free slot, "
     "e.g. linear probing.",
     [
         ("A collision is when two keys map to the same index. You can fix it with chaining, each bucket "
          "holds a list.", 5, 5),
         ("When the hash function gives the same bucket for two different keys. One fix is linear probing: go "
          "to the next slot until you find an empty one.", 5, 5),
         ("It is when two keys have the same hash.", 3, 2.5),
         ("A collision is when you insert the same key twice, you resolve it by throwing an error.", 0.5, 0.5),
         ("You can use separate chaining or open addressing.", 2.5, 2.5),
         ("two things in the same place, you fix it with a better hash function", 2, 2),
         ("A hash collision is when hashes collide in the hash table.", 1, 0.5),
         ("Hashing is used to store passwords securely, for example with SHA-256.", 0, 0),
     ]),
    ("data_structures",
     "What is a binary heap, and what operations is it efficient for?",
     "A binary heap is a complete binary tree in which every parent is no larger (min-heap) or no smaller "
     "(max-heap) than its children. It finds the minimum/maximum in O(1) and inserts or removes it in "
     "O(log n), so it implements priority queues.",
     [
         ("A complete binary tree where every parent is smaller than or equal to its children (min-heap). "
          "Good for getting and removing the minimum fast, like in a priority queue.", 5, 4.5),
         ("It's a tree kept almost full where the largest item is always at the root; extract-max and insert "
          "take O(log n), so it's used for priority queues and heapsort.", 5, 4.5),
         ("A heap is the part of memory where objects created with new are allocated.", 0, 0.5),
         ("A heap is a binary tree where the parent is bigger than the children.", 2.5, 3),
         ("A heap is a binary search tree, so it is efficient for searching any element in O(log n).", 0.5, 1),
         ("a tree structure that is good for sorting stuff", 1.5, 1.5),
         ("priority queue, heapify, O(log n)", 2, 2),
         ("a kind of tree", 1, 0.5),
     ]),

    # ------------------------------------------------------------- algorithms
    ("algorithms",
     "What is the worst-case time complexity of binary search on a sorted array, and why?",
     "O(log n), because each comparison with the middle element halves the part of the array that can "
     "still contain the target, so after about log2 n steps only one element remains.",
     [
         ("O(log n) since every step cuts the search range in half.", 5, 5),
         ("Worst case is logarithmic. Each comparison with the middle element lets you throw away half of the "
          "remaining sorted list, and you can only halve n about log2(n) times before one element is left.", 5, 5),
         ("O(n) because in the worst case the element is at the end and you have to check every element.", 0.5, 0),
         ("It is O(log n).", 3, 2.5),
         ("O(n log n) because you have to sort first and then divide in half.", 1, 1.5),
         ("its fast because it splits the list each time", 2.5, 3),
         ("Binary search only works on sorted arrays.", 0.5, 1),
         ("divide and conquer, halving, log n", 3.5, 3),
     ]),
    ("algorithms",
     "Why is the worst-case running time of quicksort O(n^2), and when does it happen?",
     "It happens when the pivot is always the smallest or largest element, e.g. first-element pivot on "
     "already sorted input. Each partition then removes only one element, giving n levels of recursion "
     "with O(n) work each, i.e. O(n^2).",
     [
         ("If the pivot is always the min or max (like picking the first element of a sorted array), one side "
          "of the partition is empty, so you get n levels of recursion each doing O(n) work: O(n^2).", 5, 5),
         ("Bad pivots. When the split is maximally unbalanced every time, e.g. already sorted input with a "
          "first-element pivot, the subproblem sizes go n, n-1, n-2 ... and summing that gives about n^2/2 "
          "comparisons.", 5, 5),
         ("It happens when the array is already sorted.", 2.5, 2),
         ("Quicksort is O(n^2) in the worst case because it compares every element with every other element, "
          "like bubble sort.", 0.5, 1),
         ("when the pivot is chosen badly", 2.5, 2),
         ("Quicksort's average case is O(n log n) and it sorts in place, which is why it's used a lot in "
          "practice.", 0.5, 0.5),
         ("Worst case happens when the elements are random, because then the pivot can be anything and the "
          "recursion goes n deep.", 1, 1),
         ("I forgot the proof for this", 0, 0),
     ]),
    ("algorithms",
     "What does it mean for a sorting algorithm to be stable?",
     "A stable sorting algorithm keeps elements with equal keys in the same relative order in the output "
     "as they had in the input.",
     [
         ("Equal elements keep their original order after sorting.", 5, 5),
         ("If two records have the same key, the one that came first in the input still comes first in the "
          "output. E.g. sorting students by grade keeps them alphabetical within each grade if they were "
          "alphabetical before.", 5, 5),
         ("A stable sort always runs in O(n log n) no matter what the input is.", 0, 0),
         ("Stable means it doesnt crash on big inputs or duplicate values.", 0.5, 0),
         ("It handles duplicate values correctly.", 1.5, 1),
         ("A sorting algorithm is stable when it is a stable sort algorithm.", 0, 0),
         ("merge sort, insertion sort, relative order", 2.5, 3),
         ("Stable means it keeps elements in the same order if they are already sorted, so it doesn't change "
          "a sorted list.", 1.5, 2),
     ]),
    ("algorithms",
     "What is dynamic programming?",
     "Dynamic programming solves a problem by splitting it into overlapping subproblems, solving each "
     "subproblem only once and storing the result in a table (or memo) so it is reused instead of "
     "recomputed. It relies on optimal substructure.",
     [
         ("Break the problem into overlapping subproblems, solve each one once and save the answers in a table "
          "so you don't recompute them.", 5, 5),
         ("It's recursion plus memoization: when the same subproblem comes up again (like fib(n-2) in "
          "Fibonacci) you look up the stored result instead of recomputing it, which turns exponential "
          "algorithms into polynomial ones.", 5, 4.5),
         ("Dynamic programming is programming where memory is allocated dynamically at runtime.", 0, 0),
         ("It divides the problem into smaller subproblems and combines their solutions.", 2, 2),
         ("You store results so you don't compute them again.", 3.5, 3),
         ("A greedy algorithm picks the locally best choice at each step hoping to get the global optimum.", 0, 0),
         ("a technique for optimization problems that uses tables", 2, 2),
         ("Dont know, sorry.", 0, 0),
     ]),
    ("algorithms",
     "What is the difference between breadth-first search (BFS) and depth-first search (DFS) of a graph?",
     "BFS explores the graph level by level, visiting all neighbours of a vertex before going further, "
     "using a queue. DFS follows one path as deep as possible before backtracking, using a stack or "
     "recursion. BFS finds shortest paths in unweighted graphs.",
     [
         ("BFS visits nodes level by level with a queue, DFS goes as deep as it can along one branch and then "
          "backtracks, using a stack.", 5, 5),
         ("Breadth-first looks at all the neighbours of the start first, then their neighbours, and so on, so "
          "it finds the path with fewest edges. Depth-first dives down one path until it gets stuck and then "
          "goes back.", 5, 5),
         ("BFS uses a stack and DFS uses a queue.", 0.5, 0.5),
         ("BFS goes wide and DFS goes deep.", 3, 2.5),
         ("BFS explores level by level. DFS always finds the shortest path because it goes deep first.", 2, 2),
         ("Dijkstra's algorithm finds shortest paths in graphs with non-negative edge weights.", 0, 0),
         ("queue vs stack, levels, backtracking", 3, 3),
         ("Breadth first search searches breadth first and depth first search searches depth first.", 1, 0.5),
     ]),

    # ------------------------------------------------------ operating systems
    ("operating_systems",
     "What is the difference between a process and a thread?",
     "A process is a program in execution with its own address space and resources. A thread is a unit of "
     "execution inside a process; threads of the same process share its memory and resources but each has "
     "its own stack and registers.",
     [
         ("A process has its own memory space; threads live inside a process and share its memory, but each "
          "thread has its own stack and registers.", 5, 5),
         ("Process = independent running program, isolated from the others by the OS. Thread = lightweight "
          "path of execution in a process; several threads can share the same code, heap and open files.", 5, 4.5),
         ("A thread is a process that is running on a different CPU core. Processes can only run on one core.", 0.5, 0.5),
         ("Threads are lighter than processes and faster to create.", 2, 2),
         ("Threads share memory and processes don't.", 4, 3.5),
         ("A program is the code stored on disk, a process is that program when it is running.", 1, 1.5),
         ("Not sure, maybe the same thing?", 0, 0),
         ("address space, shared memory, stack, PCB", 2, 2),
     ]),
    ("operating_systems",
     "What is a deadlock, and what are the four necessary conditions for it to occur?",
     "A deadlock is a state in which each process in a set waits for a resource held by another process in "
     "the set, so none can proceed. The conditions are mutual exclusion, hold and wait, no preemption, and "
     "circular wait.",
     [
         ("Deadlock: processes wait forever for resources held by each other. Conditions: mutual exclusion, "
          "hold and wait, no preemption, circular wait.", 5, 5),
         ("Two or more processes are stuck because each holds something another needs, e.g. P1 has lock A and "
          "wants B while P2 has B and wants A. It can only occur if resources are non-shareable, processes hold "
          "resources while requesting more, resources can't be taken away, and there is a cycle of waiting.", 5, 5),
         ("A deadlock is when processes are waiting on each other forever. Conditions: mutual exclusion and "
          "circular wait.", 3.5, 3),
         ("When two threads each wait for a lock the other one holds so neither can continue.", 2.5, 3),
         ("Deadlock is when a process uses 100% of the CPU and the other processes starve. The conditions are "
          "starvation, priority, busy waiting and overload.", 0, 0.5),
         ("The banker's algorithm avoids deadlock by checking whether granting a request leaves the system in "
          "a safe state.", 1, 0.5),
         ("mutual exclusion, hold and wait, no preemption, circular wait", 3, 3.5),
         ("when everything freezes", 1, 1),
     ]),
    ("operating_systems",
     "What is virtual memory?",
     "Virtual memory gives each process its own large logical address space, which the OS and MMU map to "
     "physical memory through page tables. Pages not currently needed can stay on disk, so programs can use "
     "more memory than is physically installed.",
     [
         ("Each process gets its own virtual address space which is mapped to physical RAM with page tables; "
          "pages not in use can be swapped to disk, so you can run programs bigger than RAM.", 5, 5),
         ("The OS makes every program think it has a big contiguous memory all to itself. The hardware "
          "translates those fake addresses to real frames, and the parts that don't fit are kept on disk until "
          "they are needed.", 5, 4.5),
         ("Virtual memory is memory that is simulated by a virtual machine like VirtualBox.", 0, 0),
         ("Using the hard disk as extra RAM when memory is full.", 3, 2),
         ("It is memory that isnt real but the computer uses it anyway.", 1, 1),
         ("A memory management technique with paging and address translation using the MMU.", 3, 3),
         ("Cache memory is a small fast memory between the CPU and RAM.", 0, 0),
         ("I think its the RAM??", 0, 0.5),
     ]),
    ("operating_systems",
     "What is a context switch?",
     "A context switch is when the CPU stops running one process or thread and starts another: the OS saves "
     "the current one's state (registers, program counter, etc.) and restores the saved state of the next. "
     "It is pure overhead.",
     [
         ("Switching the CPU from one process to another: save the registers and PC of the old one in its PCB "
          "and restore those of the new one.", 5, 4.5),
         ("When the scheduler decides another thread should run, the kernel stores everything the current "
          "thread needs to resume later (register values, program counter, stack pointer) and loads the saved "
          "state of the next thread. No useful work is done during it, so it's overhead.", 5, 5),
         ("When the CPU changes from running one process to running another one.", 3, 2.5),
         ("A context switch is when a program switches from user mode to kernel mode to make a system call.", 1, 1.5),
         ("the OS switches the context", 0.5, 0.5),
         ("PCB, registers, program counter, scheduler", 2.5, 2),
         ("It saves the state of the process to the hard disk so another program can use the RAM.", 1.5, 1),
         ("Round robin scheduling gives each process a fixed time slice in turn.", 0, 0.5),
     ]),
    ("operating_systems",
     "What is a race condition, and how can it be prevented?",
     "A race condition occurs when several threads access shared data concurrently, at least one of them "
     "writing, so the result depends on the unpredictable timing of execution. It is prevented by "
     "synchronization, e.g. protecting the critical section with a mutex.",
     [
         ("When threads access shared data at the same time and the outcome depends on the timing. Prevent it "
          "with locks/mutexes around the critical section.", 5, 5),
         ("Two threads both do count++ on the same variable; since read-modify-write isn't atomic, updates can "
          "get lost depending on how they interleave. Making the increment atomic or using a mutex fixes it.", 5, 5),
         ("When two threads try to use the same variable at the same time.", 2.5, 2),
         ("Use a mutex or a semaphore.", 2, 2),
         ("A race condition is when threads compete to finish first, you prevent it by giving the threads "
          "priorities.", 0.5, 0.5),
         ("Its the same as deadlock, threads waiting for each other. Prevent it with locks.", 1, 1.5),
         ("A race condition is a condition where there is a race.", 0, 0),
         ("shared variable, critical section, mutual exclusion, lock", 3, 2.5),
     ]),

    # --------------------------------------------------------------- networks
    ("networks",
     "What is the difference between TCP and UDP?",
     "TCP is connection-oriented and reliable: it guarantees ordered delivery using acknowledgements, "
     "retransmission, flow and congestion control. UDP is connectionless and unreliable, sending "
     "independent datagrams without delivery or ordering guarantees, but with less overhead.",
     [
         ("TCP is reliable and connection-based (handshake, acks, retransmits, ordering). UDP is "
          "connectionless with no guarantees, but faster and lighter.", 5, 5),
         ("TCP makes sure all your data arrives and in the right order, resending lost segments and slowing "
          "down when the network is congested. UDP just fires off packets without setting up a connection; "
          "some may be lost or arrive out of order, which is fine for video calls or DNS.", 5, 5),
         ("UDP is more secure than TCP because it doesn't need a connection.", 0, 0),
         ("TCP is reliable, UDP is not.", 2.5, 3),
         ("TCP is used for the web and UDP is used for email.", 0.5, 0),
         ("TCP is slower but better", 1.5, 1),
         ("connection-oriented, reliable, datagram, streaming", 2.5, 2),
         ("IP is responsible for addressing and routing packets between hosts.", 0, 0),
     ]),
    ("networks",
     "What does DNS do?",
     "DNS, the Domain Name System, translates human-readable domain names such as www.example.com into IP "
     "addresses, using a distributed hierarchy of name servers.",
     [
         ("It turns domain names into IP addresses.", 5, 5),
         ("When you type google.com your computer asks a DNS resolver, which queries the root, TLD and "
          "authoritative servers to find the numeric IP address for that name.", 5, 5),
         ("DNS assigns IP addresses to computers when they join the network.", 0.5, 0),
         ("It converts IP addresses to MAC addresses.", 1, 0.5),
         ("It helps you find websites on the internet.", 2, 2),
         ("DNS is the domain name system.", 0.5, 0.5),
         ("domain names, IP addresses, name servers", 3.5, 3),
         ("no clue honestly", 0, 0),
     ]),
    ("networks",
     "What is the purpose of the three-way handshake in TCP?",
     "It establishes a TCP connection: the client sends SYN, the server answers SYN-ACK and the client "
     "replies ACK. This lets both sides confirm the connection is open and synchronize their initial "
     "sequence numbers.",
     [
         ("It sets up a TCP connection: SYN, SYN-ACK, ACK, and both sides agree on their starting sequence "
          "numbers.", 5, 5),
         ("Before any data is sent, the client and server exchange three messages so each knows the other is "
          "reachable and ready, and each learns the other's initial sequence number so bytes can be numbered "
          "and acknowledged.", 5, 4.5),
         ("SYN, SYN-ACK, ACK", 3, 2.5),
         ("To establish a connection between the client and the server.", 3, 3),
         ("It is used to encrypt the connection by exchanging keys between client and server.", 0, 0.5),
         ("The handshake closes the connection using FIN messages.", 0.5, 0),
         ("UDP does not use a handshake so it is faster.", 0.5, 0.5),
         ("The purpose of the three-way handshake is to do a handshake in three ways.", 0, 0),
     ]),
    ("networks",
     "What is the difference between a MAC address and an IP address?",
     "A MAC address is a fixed hardware address of a network interface, used for delivery within a local "
     "network (link layer). An IP address is a logical, hierarchical address assigned to a host and used to "
     "route packets between networks (network layer); it can change.",
     [
         ("MAC is the hardware address burned into the network card and used inside the local network; IP is a "
          "logical address used to route between networks and it can change.", 5, 5),
         ("A MAC address is layer 2, flat, set by the manufacturer, only meaningful on your LAN. An IP address "
          "is layer 3, hierarchical, given out by the network (e.g. DHCP), and routers use it to forward "
          "packets across the internet.", 5, 5),
         ("MAC is physical and IP is logical.", 3, 2.5),
         ("The IP address identifies the device permanently and the MAC address changes every time you connect "
          "to a new network.", 0, 0.5),
         ("A MAC address is 48 bits and an IPv4 address is 32 bits.", 1.5, 1),
         ("one is for the computer and one is for the internet", 1.5, 1.5),
         ("layer 2, layer 3, ARP, routing", 2.5, 2.5),
         ("both are addresses idk", 0.5, 0),
     ]),
    ("networks",
     "What is the purpose of the TTL (time to live) field in an IP packet?",
     "TTL limits a packet's lifetime: each router decrements it by one and discards the packet when it "
     "reaches zero, usually sending an ICMP message back. This prevents packets from circulating forever in "
     "routing loops.",
     [
         ("TTL is decremented by every router and the packet is dropped at 0, so packets can't loop around "
          "forever.", 5, 5),
         ("It's a hop counter that limits how long a packet can live in the network. Every router subtracts "
          "one, and when it hits zero the router throws the packet away and usually sends an ICMP Time "
          "Exceeded back; this stops routing loops from flooding the network.", 5, 5),
         ("TTL is how many seconds a website is cached by the browser.", 0.5, 0),
         ("It stops packets from going around the network forever.", 4, 3),
         ("Time to live, it's the maximum time in milliseconds a packet is allowed to travel before it gets "
          "deleted.", 2, 1.5),
         ("TTL is the time to live of the packet.", 1, 0.5),
         ("The checksum field in the IP header is used to detect errors in the header.", 0, 0),
         ("hop count, decrement, routing loops, traceroute", 3, 3),
     ]),

    # -------------------------------------------------------------- databases
    ("databases",
     "What is a database index, and what is its main trade-off?",
     "An index is an auxiliary data structure, usually a B-tree or hash table, on one or more columns that "
     "lets the DBMS find matching rows without scanning the whole table. The cost is extra storage and "
     "slower inserts, updates and deletes, since the index must be maintained.",
     [
         ("An index is a separate structure, usually a B-tree, that lets queries find rows without scanning "
          "the whole table. Downside: takes space and slows down inserts/updates.", 5, 5),
         ("Like the index at the back of a book: the DB can jump straight to the rows with a given column "
          "value. The trade-off is that every write also has to update the index, and it uses extra disk.", 5, 5),
         ("Makes SELECT queries faster.", 2, 1.5),
         ("An index is the row number of each record, and the trade-off is that the table can't have more "
          "rows than the index size.", 0, 0.5),
         ("It speeds up lookups by keeping a sorted copy of a column; the cost is more storage.", 4, 3.5),
         ("Indexes make everything faster with no drawbacks, so you should index every column.", 1.5, 0.5),
         ("B-tree, fast lookup, slower writes", 3.5, 3),
         ("we didn't get to this", 0, 0),
     ]),
    ("databases",
     "What is a foreign key in a relational database?",
     "A foreign key is a column or set of columns in one table that refers to the primary key of another "
     "table. It enforces referential integrity: each value must match an existing row in the referenced "
     "table (or be NULL).",
     [
         ("A column that references the primary key of another table, so you can't insert a value that "
          "doesn't exist in that table.", 5, 5),
         ("It links two tables: e.g. orders.customer_id must point to an existing customers.id, and the DBMS "
          "enforces this referential integrity.", 5, 5),
         ("A foreign key is a key from another database that is used to log in to it.", 0, 0),
         ("A key that links two tables together.", 3, 2.5),
         ("A foreign key is the primary key of a table that is used in another table, it must be unique in "
          "both tables.", 2, 2),
         ("A primary key uniquely identifies each row in a table and cannot be null.", 0.5, 1),
         ("A foreign key is a key that is foreign to the table.", 0.5, 0),
         ("references, primary key, referential integrity, JOIN", 3, 3),
     ]),
    ("databases",
     "What does ACID stand for in database transactions? Briefly explain each property.",
     "Atomicity: a transaction happens completely or not at all; Consistency: it moves the database from one "
     "valid state to another; Isolation: concurrent transactions do not interfere, as if run serially; "
     "Durability: committed changes survive crashes.",
     [
         ("Atomicity, Consistency, Isolation, Durability.", 3, 3),
         ("Atomicity: the whole transaction happens or none of it. Consistency: constraints hold before and "
          "after. Isolation: concurrent transactions don't see each other's partial work. Durability: once "
          "committed it survives a crash.", 5, 5),
         ("A = all-or-nothing, C = DB stays valid, I = transactions act like they ran one after another, "
          "D = committed data is permanent even after power loss.", 5, 5),
         ("Availability, Consistency, Integrity, Durability. It means the database is always online and the "
          "data is correct.", 1, 1),
         ("Atomicity means all or nothing, durability means it's saved permanently, not sure about the other "
          "two.", 2.5, 2.5),
         ("Atomicity means each value is atomic (1NF), consistency means the data is consistent, isolation "
          "means tables are separate, durability means the disk is reliable.", 1, 1.5),
         ("The CAP theorem says a distributed system can't have consistency, availability and partition "
          "tolerance all at once.", 0, 0),
         ("something about transactions being safe", 1, 0.5),
     ]),
    ("databases",
     "What is the purpose of normalization in relational database design?",
     "Normalization organizes tables to reduce redundancy and avoid update, insertion and deletion "
     "anomalies, by decomposing tables so that each fact is stored only once, following normal forms such "
     "as 3NF.",
     [
         ("To remove redundant data and avoid insert/update/delete anomalies by splitting tables.", 5, 5),
         ("You split tables up so each fact is stored in exactly one place. That way changing a customer's "
          "address means updating one row, not many, and you can't end up with inconsistent copies.", 5, 4.5),
         ("Normalization scales all values to between 0 and 1 so they can be compared.", 0, 0),
         ("It is about normal forms like 1NF, 2NF and 3NF.", 1.5, 1.5),
         ("Normalization makes queries faster because there are fewer joins.", 0.5, 1),
         ("To reduce duplicate data in the database.", 4, 3.5),
         ("to make the database better organized", 1.5, 1),
         ("redundancy, anomalies, 3NF, functional dependencies", 3.5, 3),
     ]),
    ("databases",
     "In SQL, what is the difference between WHERE and HAVING?",
     "WHERE filters individual rows before grouping and cannot use aggregate functions; HAVING filters "
     "groups after GROUP BY and can use aggregate conditions such as COUNT(*) > 5.",
     [
         ("WHERE filters rows before grouping, HAVING filters the groups after GROUP BY and can use "
          "aggregates.", 5, 5),
         ("You can't write WHERE COUNT(*) > 3 because WHERE is applied to each row before the aggregation "
          "happens; HAVING is checked on the aggregated groups, so conditions on SUM, COUNT etc. go there.", 5, 5),
         ("HAVING is used with GROUP BY.", 2, 2.5),
         ("They are the same, HAVING is just an older syntax for WHERE.", 0, 0),
         ("HAVING can use aggregate functions but WHERE cannot.", 4, 3.5),
         ("WHERE is for filtering columns and HAVING is for filtering rows.", 0.5, 1),
         ("ORDER BY sorts the result set, ascending by default.", 0, 0),
         ("WHERE and HAVING are different clauses in SQL.", 0, 0.5),
     ]),
]


def fmt(x):
    """Format a score without trailing zeros: 5 -> '5', 3.5 -> '3.5', 3.25 -> '3.25'."""
    return f"{x:g}"


def check():
    areas = {}
    for area, question, reference, answers in DATA:
        areas[area] = areas.get(area, 0) + 1
        n_ref = len(reference.split())
        assert 10 <= n_ref <= 50, (question, n_ref)
        assert len(answers) == 8, question
        assert len({a for a, _, _ in answers}) == 8, question
        for answer, ga, gb in answers:
            n = len(answer.split())
            assert 3 <= n <= 70, (answer, n)
            for g in (ga, gb):
                assert 0 <= g <= 5 and (g * 2) == int(g * 2), (answer, g)
            assert abs(ga - gb) <= 1, answer
    assert len(DATA) == 30
    assert all(v == 5 for v in areas.values()), areas


def main():
    check()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "course.csv")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)  # default dialect: RFC 4180 quoting, CRLF line ends
        w.writerow(HEADER)
        for area, question, reference, answers in DATA:
            for answer, ga, gb in answers:
                w.writerow([question, reference, answer, fmt((ga + gb) / 2),
                            fmt(ga), fmt(gb), area])
    print(f"wrote {out}: {sum(len(d[3]) for d in DATA)} rows")


if __name__ == "__main__":
    main()
