<?php
header('Content-Type: text/plain');
echo str_repeat("0123456789abcdef", 8192), "\n";
